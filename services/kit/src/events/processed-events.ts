import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKey } from "../data/connect-database.js";

// The inbox of a subscriber: one document per CloudEvent id. A handler claims an id before
// applying the event and marks it done after; a redelivery finds the id done and is skipped.
// A claim left by a crash expires after `leaseMs`, so the event is applied by the next try.

interface ProcessedEventDoc {
  _id: string;
  topic: string;
  state: "processing" | "done";
  claimedAt: Date;
  doneAt?: Date;
}

export type ClaimResult = "claimed" | "done" | "busy";

export interface ProcessedEvents {
  claim(id: string, topic: string): Promise<ClaimResult>;
  complete(id: string): Promise<void>;
  release(id: string): Promise<void>;
}

const processedEventSchema = new Schema<ProcessedEventDoc>(
  {
    _id: { type: String, required: true },
    topic: { type: String, required: true },
    state: { type: String, required: true, enum: ["processing", "done"] },
    claimedAt: { type: Date, required: true },
    doneAt: { type: Date },
  },
  { versionKey: false, collection: "processed_events" },
);

export function createProcessedEvents(connection: Connection, leaseMs = 60_000): ProcessedEvents {
  const model: Model<ProcessedEventDoc> =
    connection.models.ProcessedEvent ??
    connection.model<ProcessedEventDoc>("ProcessedEvent", processedEventSchema);
  return {
    async claim(id, topic) {
      try {
        await model.create({ _id: id, topic, state: "processing", claimedAt: new Date() });
        return "claimed";
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const existing = await model.findById(id).lean();
      if (!existing) return this.claim(id, topic);
      if (existing.state === "done") return "done";
      if (existing.claimedAt.getTime() > Date.now() - leaseMs) return "busy";
      // The claim is older than the lease: its holder crashed. Take it over, once.
      const taken = await model.findOneAndUpdate(
        { _id: id, state: "processing", claimedAt: existing.claimedAt },
        { $set: { claimedAt: new Date() } },
      );
      return taken ? "claimed" : "busy";
    },
    async complete(id) {
      await model.updateOne({ _id: id }, { $set: { state: "done", doneAt: new Date() } });
    },
    async release(id) {
      await model.deleteOne({ _id: id, state: "processing" });
    },
  };
}
