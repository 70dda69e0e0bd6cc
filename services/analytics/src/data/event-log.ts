import type { Connection } from "mongoose";
import { duplicatePositions } from "./write-errors.js";

// The event log: every event analytics accepted, as received, once per CloudEvent id (its
// `_id`). It is the source of truth: the reports' running aggregates live in memory and are
// rebuilt from it at start or on demand. Writes are unordered bulk inserts (one round trip
// per batch); a redelivered event collides on `_id` and is recognised as a duplicate.

export interface LoggedEvent {
  _id: string;
  topic: string;
  data: unknown;
  receivedAt: Date;
}

export interface EventLog {
  /** Stores the events; answers, per event, whether it is new (false: it was stored before). */
  append(events: LoggedEvent[]): Promise<boolean[]>;
  /** Calls `visit` with every stored event, a batch at a time (in no particular order). */
  replay(visit: (batch: LoggedEvent[]) => void): Promise<number>;
  count(): Promise<number>;
}

export function openEventLog(connection: Connection, batchSize = 2_000): EventLog {
  const collection = () => connection.db!.collection<LoggedEvent>("analytics_events");
  return {
    async append(events) {
      if (events.length === 0) return [];
      let duplicates = new Set<number>();
      try {
        await collection().insertMany(events, { ordered: false });
      } catch (error) {
        duplicates = duplicatePositions(error);
      }
      return events.map((_, i) => !duplicates.has(i));
    },
    async replay(visit) {
      let seen = 0;
      let batch: LoggedEvent[] = [];
      for await (const doc of collection().find({}, { batchSize })) {
        batch.push(doc);
        if (batch.length === batchSize) {
          visit(batch);
          seen += batch.length;
          batch = [];
        }
      }
      visit(batch);
      return seen + batch.length;
    },
    count: () => collection().estimatedDocumentCount(),
  };
}
