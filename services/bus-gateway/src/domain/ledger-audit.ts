import { applyRecord, type Ledger, type RecordStore } from "./ledger.js";
import { isPending, ledgerStates, type LedgerEntry, type LedgerState } from "./ledger-entry.js";

// The audit reads the ledger back from the database (not from memory), as a stream, and
// proves that every accepted message is delivered, pending (accepted/retrying/buffered) or
// dead-lettered: each entry's revisions follow one another with no gap (from its first
// record, or from the oldest one kept after compaction dropped a segment), its state is one
// of the five, and memory agrees with the database: every open entry is in memory as it is
// in the database, and no delivered one is. Delivered entries past the retention are
// counted per day instead (`compacted`), and the audit reports those counts.

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

/** What the audit keeps of one entry while the records stream by. */
interface Seen {
  revisions: number[];
  last?: LedgerEntry;
  payload: boolean;
  /** Revisions written again by compaction (an entry's oldest kept record may be one). */
  carried: number[];
}

export async function auditLedger(
  store: Pick<RecordStore, "streamAll" | "readCompacted">,
  ledger: Ledger,
): Promise<LedgerAudit> {
  const seen = new Map<string, Seen>();
  let records = 0;
  for await (const record of store.streamAll()) {
    records += 1;
    const known = seen.get(record.key) ?? { revisions: [], payload: false, carried: [] };
    known.revisions.push(record.revision);
    // `revision` of a folded entry is the next record's: its last record is one less.
    if (!known.last || record.revision > known.last.revision - 1)
      known.last = applyRecord(undefined, record);
    if (record.carried) known.carried.push(record.revision);
    if (record.payload !== undefined) known.payload = true;
    seen.set(record.key, known);
  }
  const compacted = await store.readCompacted();
  const problems: string[] = [];
  const byState = Object.fromEntries(ledgerStates.map((state) => [state, 0])) as Record<
    LedgerState,
    number
  >;
  for (const [key, known] of seen) {
    const sorted = known.revisions.sort((a, b) => a - b);
    const first = sorted[0] ?? 0;
    if (sorted.some((revision, index) => revision !== first + index))
      problems.push(`${key}: revisions ${sorted.join(",")} have a gap`);
    let entry = known.last;
    if (!entry) continue;
    let disagreement = disagreementOf(key, entry, ledger.get(key));
    if (disagreement) {
      // A write may have landed after the stream passed it: look again once the key is quiet.
      const { held, stored } = await ledger.settledView(key, first);
      if (stored) entry = stored;
      disagreement = stored && disagreementOf(key, stored, held);
    }
    if (disagreement) problems.push(disagreement);
    // A first record may be missing only where compaction dropped its segment: the entry
    // was delivered since, or its state was written again (carried).
    if (first !== 0 && entry.state !== "delivered" && known.carried.length === 0)
      problems.push(`${key}: revisions start at ${first} with no first record`);
    if (!(ledgerStates as readonly string[]).includes(entry.state))
      problems.push(`${key}: unknown state ${entry.state}`);
    else byState[entry.state] += 1;
    if (isPending(entry) && entry.kind === "partner" && !known.payload)
      problems.push(`${key}: pending without its payload`);
  }
  const unseen = [...ledger.entries()].filter((entry) => !seen.has(entry.key));
  for (const entry of unseen) {
    const { held, stored } = await ledger.settledView(entry.key);
    if (held && !stored) problems.push(`${entry.key}: in memory but not in the database`);
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

/** What is wrong when memory holds `held` for an entry whose last record says `stored`. */
function disagreementOf(
  key: string,
  stored: LedgerEntry,
  held: LedgerEntry | undefined,
): string | undefined {
  if (stored.state === "delivered") {
    if (held && held.state !== "delivered")
      return `${key}: delivered in the database, ${held.state} in memory`;
    return undefined;
  }
  if (!held) return `${key}: in the database but not in the gateway's view`;
  if (held.state !== stored.state)
    return `${key}: ${stored.state} in the database, ${held.state} in memory`;
  return undefined;
}
