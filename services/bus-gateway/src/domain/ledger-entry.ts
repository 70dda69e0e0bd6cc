// One message's path through the gateway, as the ledger keeps it. The ledger is append-only
// (one record per state change, see data/ledger-store.ts): FerretDB v1 updates are slow and
// unindexed, inserts in batches are fast. The current state of an entry is its last record.

export const ledgerStates = [
  "accepted",
  "delivered",
  "retrying",
  "buffered",
  "dead-lettered",
] as const;
export type LedgerState = (typeof ledgerStates)[number];

export const pendingStates: ReadonlySet<LedgerState> = new Set([
  "accepted",
  "retrying",
  "buffered",
]);

/** partner: delivery to a partner; export/import: a BusRoute crossing; inbound: a partner webhook; drop: a message Dapr dropped (a dead letter of a subscriber, or one the gateway could never take). */
export type EntryKind = "partner" | "export" | "import" | "inbound" | "drop";

export type FailureKind = "transport" | "rejected";

export interface LedgerEntry {
  /** `<kind>:<target>:<topic>:<messageId>`: one message of one topic reaching one target. */
  readonly key: string;
  readonly messageId: string;
  readonly kind: EntryKind;
  /** Partner name, route name, or for drops the subscriber (app-id) that could not take it. */
  readonly target: string;
  readonly topic: string;
  readonly pubsub: string;
  state: LedgerState;
  attempts: number;
  lastError?: string;
  lastFailure?: FailureKind;
  /** Order of acceptance; deliveries to a partner follow it. */
  seq: number;
  acceptedAt: number;
  updatedAt: number;
  nextAttemptAt?: number;
  /** The message body as JSON text (kept while the entry may still be delivered or replayed). */
  payload?: string;
  /** Number of records written for this entry (the next record's revision). */
  revision: number;
  /** The record that last carried the payload (its revision and segment), to read it back. */
  payloadRevision?: number;
  payloadSegment?: number;
  /** The ledger segment of the entry's last record. */
  lastSegment?: number;
  replays: number;
}

/**
 * Whose delivery it was: the same message id on two topics, or dead-lettered by two
 * subscribers, is two entries.
 */
export function entryKey(
  kind: EntryKind,
  target: string,
  topic: string,
  messageId: string,
): string {
  return `${kind}:${target}:${topic}:${messageId}`;
}

export function isPending(entry: Pick<LedgerEntry, "state">): boolean {
  return pendingStates.has(entry.state);
}
