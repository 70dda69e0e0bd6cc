import { foldRecords, type Ledger, type RecordStore } from "./ledger.js";
import { isPending, ledgerStates, type LedgerState } from "./ledger-entry.js";

// The audit reads the ledger back from the database (not from memory) and proves that
// every accepted message is delivered, pending (accepted/retrying/buffered) or
// dead-lettered: each entry has its first record, no revision is missing, its state is
// one of the five, and memory agrees with the database. Delivered entries past the
// retention are counted per day instead (`compacted`), and the audit reports those counts.

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

export async function auditLedger(
  store: Pick<RecordStore, "readAll" | "readCompacted">,
  ledger: Ledger,
): Promise<LedgerAudit> {
  const records = await store.readAll();
  const compacted = await store.readCompacted();
  const problems: string[] = [];
  const revisions = new Map<string, number[]>();
  for (const record of records)
    revisions.set(record.key, [...(revisions.get(record.key) ?? []), record.revision]);
  for (const [key, list] of revisions) {
    const sorted = list.sort((a, b) => a - b);
    if (sorted.some((revision, index) => revision !== index))
      problems.push(`${key}: revisions ${sorted.join(",")} have a gap or no first record`);
  }
  const folded = foldRecords(records);
  const byState = Object.fromEntries(ledgerStates.map((state) => [state, 0])) as Record<
    LedgerState,
    number
  >;
  for (const entry of folded.values()) {
    if (!(ledgerStates as readonly string[]).includes(entry.state))
      problems.push(`${entry.key}: unknown state ${entry.state}`);
    else byState[entry.state] += 1;
    const inMemory = ledger.get(entry.key);
    if (!inMemory) problems.push(`${entry.key}: in the database but not in the gateway's view`);
    else if (inMemory.state !== entry.state)
      problems.push(`${entry.key}: ${entry.state} in the database, ${inMemory.state} in memory`);
    if (isPending(entry) && entry.kind === "partner" && entry.payload === undefined)
      problems.push(`${entry.key}: pending without its payload`);
  }
  for (const entry of ledger.entries()) {
    if (!folded.has(entry.key)) problems.push(`${entry.key}: in memory but not in the database`);
  }
  return {
    ok: problems.length === 0,
    records: records.length,
    entries: folded.size,
    byState,
    pending: byState.accepted + byState.retrying + byState.buffered,
    compacted: {
      entries: compacted.reduce((sum, count) => sum + count.count, 0),
      days: new Set(compacted.map((count) => count.day)).size,
    },
    problems: problems.slice(0, 100),
  };
}
