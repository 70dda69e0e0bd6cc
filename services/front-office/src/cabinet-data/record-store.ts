import { Schema, type Connection, type Model } from "mongoose";

// The cabinet's copy of what core modules tell about people (orders from the marketplace,
// documents from files, offers from analytics) and of the marketplace's offers, kept from the
// bus: pages read it, never the modules, so a module that is down leaves its section as it
// last was, not broken. Facts
// that never change are set by every event; the state that does (an order's status, a
// document's current version) only by a newer version, so redeliveries and reordering are
// harmless.

export const recordKinds = [
  "order",
  "document",
  "offer",
  "market-offer",
  "sandbox",
  "refusal",
  /** An order a person requested here, until the marketplace places or refuses it. */
  "order-request",
] as const;
export type RecordKind = (typeof recordKinds)[number];

export interface RecordUpdate {
  kind: RecordKind;
  id: string;
  /** Whose it is: `customer:<CRM profile id>`, `partner:<partner id>`, `sandbox:<id>`. */
  owners: string[];
  facts: Record<string, unknown>;
  /** Applied only when `version` is newer than the stored state's. */
  state?: Record<string, unknown>;
  version?: number;
}

export interface StoredRecord {
  id: string;
  facts: Record<string, unknown>;
  state: Record<string, unknown>;
}

interface RecordDoc {
  _id: string;
  kind: RecordKind;
  owners: string[];
  facts: Record<string, unknown>;
  state: Record<string, unknown>;
  stateVersion: number;
  receivedAt: Date;
}

const recordSchema = new Schema<RecordDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, index: true },
    owners: { type: [String], index: true },
    facts: { type: Schema.Types.Mixed, default: {} },
    state: { type: Schema.Types.Mixed, default: {} },
    stateVersion: Number,
    receivedAt: Date,
  },
  { versionKey: false, collection: "front_office_records", minimize: false },
);

export interface RecordStore {
  apply(update: RecordUpdate, at: Date): Promise<void>;
  /** One record, whoever owns it (undefined: nothing arrived of it). */
  find(kind: RecordKind, id: string): Promise<StoredRecord | undefined>;
  /** A kind's records of these owners, in no particular order. */
  listFor(kind: RecordKind, owners: string[]): Promise<StoredRecord[]>;
  /** Every record of a kind (a company manager's view). */
  listAll(kind: RecordKind): Promise<StoredRecord[]>;
  /** When anything of this kind last arrived; undefined before the first. */
  lastReceivedAt(kind: RecordKind): Promise<Date | undefined>;
  /** Deletes a record if one of these owners owns it (nothing of anyone else's). */
  remove(kind: RecordKind, id: string, owners: string[]): Promise<void>;
}

const dotted = (prefix: string, fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${prefix}.${k}`, v]));

export function createRecordStore(connection: Connection): RecordStore {
  const model: Model<RecordDoc> =
    connection.models.FrontOfficeRecord ??
    connection.model<RecordDoc>("FrontOfficeRecord", recordSchema);
  return {
    async apply(update, at) {
      const _id = `${update.kind}:${update.id}`;
      if (!(await model.exists({ _id }))) {
        try {
          await model.create({
            _id,
            kind: update.kind,
            owners: update.owners,
            facts: {},
            state: {},
            stateVersion: 0,
            receivedAt: at,
          });
        } catch {
          // another delivery created it first
        }
      }
      await model.updateOne(
        { _id },
        {
          $set: {
            ...dotted("facts", update.facts),
            owners: update.owners,
            receivedAt: at,
          },
        },
      );
      if (update.state)
        await model.updateOne(
          { _id, stateVersion: { $lt: update.version ?? 1 } },
          { $set: { ...dotted("state", update.state), stateVersion: update.version ?? 1 } },
        );
    },
    async find(kind, id) {
      const doc = await model.findById(`${kind}:${id}`).lean<RecordDoc>();
      return doc ? { id, facts: doc.facts ?? {}, state: doc.state ?? {} } : undefined;
    },
    async listFor(kind, owners) {
      if (owners.length === 0) return [];
      const docs = await model.find({ kind, owners: { $in: owners } }).lean<RecordDoc[]>();
      return docs.map((doc) => ({
        id: doc._id.slice(kind.length + 1),
        facts: doc.facts ?? {},
        state: doc.state ?? {},
      }));
    },
    async listAll(kind) {
      const docs = await model.find({ kind }).lean<RecordDoc[]>();
      return docs.map((doc) => ({
        id: doc._id.slice(kind.length + 1),
        facts: doc.facts ?? {},
        state: doc.state ?? {},
      }));
    },
    async lastReceivedAt(kind) {
      const [doc] = await model
        .find({ kind })
        .sort({ receivedAt: -1 })
        .limit(1)
        .lean<RecordDoc[]>();
      return doc?.receivedAt;
    },
    async remove(kind, id, owners) {
      if (owners.length === 0) return;
      await model.deleteOne({ _id: `${kind}:${id}`, owners: { $in: owners } });
    },
  };
}
