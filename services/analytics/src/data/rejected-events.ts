import type { Connection } from "mongoose";
import { duplicatePositions } from "./write-errors.js";

// Events analytics cannot read, kept with the reason (and the field) so a person can see why
// a figure is missing; Dapr also moves them to the topic's dead-letter topic.

export interface RejectedEvent {
  _id: string;
  topic: string;
  reason: string;
  field?: string;
  /** The payload as received, cut to 4 KB of JSON. */
  data: string;
  rejectedAt: Date;
}

export interface RejectedEvents {
  record(events: RejectedEvent[]): Promise<void>;
  list(limit: number, topic?: string): Promise<RejectedEvent[]>;
}

const keptBytes = 4_096;

export function payloadExcerpt(data: unknown): string {
  const text = JSON.stringify(data) ?? "undefined";
  return text.length > keptBytes ? `${text.slice(0, keptBytes)}...` : text;
}

export function openRejectedEvents(connection: Connection): RejectedEvents {
  const collection = () => connection.db!.collection<RejectedEvent>("rejected_events");
  return {
    async record(events) {
      if (events.length === 0) return;
      try {
        await collection().insertMany(events, { ordered: false });
      } catch (error) {
        duplicatePositions(error); // a redelivered refusal is already recorded
      }
    },
    async list(limit, topic) {
      return collection()
        .find(topic === undefined ? {} : { topic })
        .sort({ rejectedAt: -1 })
        .limit(limit)
        .toArray();
    },
  };
}
