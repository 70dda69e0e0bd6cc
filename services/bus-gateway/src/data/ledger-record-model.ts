import { Schema, type Connection, type Model } from "mongoose";
import { ledgerStates } from "../domain/ledger-entry.js";

// One state change of one ledger entry. `_id` is `<entry key>@<revision>`, so writing the
// first record of a message twice (a redelivery) fails on the unique `_id`: that is how a
// redelivered message is recognised, with no read before the write.

export interface LedgerRecord {
  _id: string;
  key: string;
  revision: number;
  messageId: string;
  kind: string;
  target: string;
  topic: string;
  pubsub: string;
  state: (typeof ledgerStates)[number];
  attempts: number;
  lastError?: string;
  lastFailure?: string;
  seq: number;
  acceptedAt: Date;
  at: Date;
  nextAttemptAt?: Date;
  payload?: string;
  replays: number;
  /**
   * The ledger's segment the record was written in: the start-up reads the segments written
   * since the last checkpoint (an equality filter the database answers itself), and
   * compaction drops whole segments.
   */
  segment: number;
  /** One equality filter reads two consecutive segments (`segmentPair` in the ledger). */
  evenPair?: number;
  oddPair?: number;
  /** Written only to keep an old open entry's payload when its segment is dropped. */
  carried?: boolean;
}

const ledgerRecordSchema = new Schema<LedgerRecord>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    revision: { type: Number, required: true, min: 0 },
    messageId: { type: String, required: true },
    kind: {
      type: String,
      required: true,
      enum: ["partner", "export", "import", "inbound", "drop"],
    },
    target: { type: String, required: true },
    topic: { type: String, required: true },
    pubsub: { type: String, required: true },
    state: { type: String, required: true, enum: ledgerStates },
    attempts: { type: Number, required: true, min: 0 },
    lastError: String,
    lastFailure: String,
    seq: { type: Number, required: true },
    acceptedAt: { type: Date, required: true },
    at: { type: Date, required: true },
    nextAttemptAt: Date,
    payload: String,
    replays: { type: Number, required: true, min: 0 },
    segment: { type: Number, required: true, min: 0 },
    carried: Boolean,
  },
  { collection: "ledger_records", versionKey: false, autoIndex: false },
);

export function ledgerRecordModel(connection: Connection): Model<LedgerRecord> {
  return (
    connection.models.LedgerRecord ??
    connection.model<LedgerRecord>("LedgerRecord", ledgerRecordSchema)
  );
}
