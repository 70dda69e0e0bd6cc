import { Schema, type Connection } from "mongoose";

// Bus events the marketplace refused, with the reason: Dapr moves each to the topic's dead
// letter (and the bus gateway ledgers it for replay), but only the marketplace knows why.

export interface Refusal {
  eventId: string;
  topic: string;
  code: string;
  reason: string;
  /** The rule of the game it broke, when that was the reason. */
  rule?: string;
  at: string;
  data: unknown;
}

interface RefusalDoc extends Omit<Refusal, "eventId" | "at"> {
  _id: string;
  at: Date;
}

const refusalSchema = new Schema<RefusalDoc>(
  {
    _id: String,
    topic: { type: String, required: true },
    code: { type: String, required: true },
    reason: { type: String, required: true },
    rule: String,
    at: { type: Date, required: true, index: true },
    data: { type: Schema.Types.Mixed },
  },
  { versionKey: false, collection: "refused_events", minimize: false },
);

export type RefusalStore = ReturnType<typeof createRefusalStore>;

export function createRefusalStore(connection: Connection) {
  const model = connection.model<RefusalDoc>("RefusedEvent", refusalSchema);
  return {
    ready: () => model.init(),
    /** Records (or, for a redelivery, overwrites) why an event was refused. */
    async record(refusal: Refusal): Promise<void> {
      const { eventId, at, ...rest } = refusal;
      await model.replaceOne({ _id: eventId }, { ...rest, at: new Date(at) }, { upsert: true });
    },
    async list(query: { topic?: string; limit: number }): Promise<Refusal[]> {
      const filter = query.topic ? { topic: query.topic } : {};
      const docs = await model
        .find(filter)
        .sort({ at: -1 })
        .limit(query.limit)
        .lean<RefusalDoc[]>();
      return docs.map(({ _id, at, ...rest }) => ({ ...rest, eventId: _id, at: at.toISOString() }));
    },
  };
}
