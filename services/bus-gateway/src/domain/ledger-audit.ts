import type { Ledger, RecordStore } from "./ledger.js";
import { isPending, ledgerStates, type LedgerState } from "./ledger-entry.js";

// The audit reads the ledger back from the database (not from memory), in batches, and
// proves that every accepted message is delivered, pending (accepted/retrying/buffered) or
// dead-lettered: each entry has its first record, no revision is missing, its state is
// one of the five, and every open entry of the database is the gateway's view in memory
// (delivered entries are not held in memory). Delivered entries past the retention are
// counted per day instead (`compacted`), and the audit reports those counts. It holds a
// few numbers per entry, never the records.

export interface LedgerAudit {
  ok: boolean;
  records: number;
  entries: number;
  byState: Record<LedgerState, number>;
  pending: number;
  /** Delivered entries kept only as per-day counts (the ledger's retention). */
  compacted: { entries: number; days: number };
  problems: string[];
}

interface Seen {
  records: number;
  revision: number;
  state: LedgerState;
  kind: string;
  payload: boolean;
}

export async function auditLedger(
  store: Pick<RecordStore, "streamAll" | "readCompacted">,
  ledger: Ledger,
): Promise<LedgerAudit> {
  const problems: string[] = [];
  const seen = new Map<string, Seen>();
  let records = 0;
  for await (const record of store.streamAll()) {
    records += 1;
    const previous = seen.get(record.key);
    const latest = !previous || previous.revision < record.revision;
    seen.set(record.key, {
      records: (previous?.records ?? 0) + 1,
      revision: latest ? record.revision : (previous?.revision ?? record.revision),
      state: latest ? record.state : (previous?.state ?? record.state),
      kind: record.kind,
      payload: (previous?.payload ?? false) || record.payload !== undefined,
    });
  }
  const compacted = await store.readCompacted();
  const byState = Object.fromEntries(ledgerStates.map((state) => [state, 0])) as Record<
    LedgerState,
    number
  >;
  for (const [key, entry] of seen) {
    // `_id` is `<key>@<revision>`, so revisions are distinct: none is missing when there
    // are as many as the last one says.
    if (entry.records !== entry.revision + 1)
      problems.push(
        `${key}: ${entry.records} record(s) up to revision ${entry.revision}: a gap or no first record`,
      );
    if (!(ledgerStates as readonly string[]).includes(entry.state)) {
      problems.push(`${key}: unknown state ${entry.state}`);
      continue;
    }
    byState[entry.state] += 1;
    const inMemory = ledger.get(key);
    if (entry.state === "delivered") {
      if (inMemory) problems.push(`${key}: delivered in the database, ${inMemory.state} in memory`);
      continue;
    }
    if (!inMemory)
      problems.push(`${key}: ${entry.state} in the database but not in the gateway's view`);
    else if (inMemory.state !== entry.state)
      problems.push(`${key}: ${entry.state} in the database, ${inMemory.state} in memory`);
    if (isPending(entry) && entry.kind === "partner" && !entry.payload)
      problems.push(`${key}: pending without its payload`);
  }
  for (const entry of ledger.entries()) {
    if (!seen.has(entry.key)) problems.push(`${entry.key}: in memory but not in the database`);
  }
  return {
    ok: problems.length === 0,
    records,
    entries: seen.size,
    byState,
    pending: byState.accepted + byState.retrying + byState.buffered,
    compacted: {
      entries: compacted.reduce((sum, count) => sum + count.count, 0),
      days: new Set(compacted.map((count) => count.day)).size,
    },
    problems: problems.slice(0, 100),
  };
}
