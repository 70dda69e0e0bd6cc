import { Schema, type Connection, type Model } from "mongoose";
import type { Logger } from "pino";
import { isDuplicateKey } from "../data/connect-database.js";
import type { EventPublisher } from "../dapr/dapr-publisher.js";
import type { ServiceMetrics } from "../metrics/service-metrics.js";
import type { OutgoingEvent } from "./outgoing-event.js";

// Events are written to the database before they are published, and stay there until the
// sidecar accepted them: a sidecar or bus that is down delays events, it never loses them.
// FerretDB v1 has no transactions, so the domain write and the outbox write are two writes;
// the domain writes first, and a crash between them is the one window (MongoDB with a
// replica set could put both in one transaction).

interface OutboxDoc {
  _id: string;
  topic: string;
  data: unknown;
  createdAt: Date;
  attempts: number;
  lastError?: string;
}

export interface Outbox {
  /**
   * Stores events (ids already stored are kept as they are) and starts publishing them;
   * resolves once they are stored, not when they are published.
   */
  send(events: OutgoingEvent[]): Promise<void>;
  /** Publishes whatever is still pending, oldest first; returns how many were published. */
  flush(): Promise<number>;
  /** Runs flush every `intervalMs` until stop(). */
  startRelay(intervalMs: number): void;
  stop(): Promise<void>;
  pending(): Promise<number>;
}

const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: String, required: true },
    topic: { type: String, required: true },
    data: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true, index: true },
    attempts: { type: Number, required: true },
    lastError: { type: String },
  },
  { versionKey: false, collection: "outbox", minimize: false },
);

export function createOutbox(deps: {
  connection: Connection;
  publisher: EventPublisher;
  logger: Logger;
  metrics: ServiceMetrics;
}): Outbox {
  const model: Model<OutboxDoc> =
    deps.connection.models.OutboxEvent ??
    deps.connection.model<OutboxDoc>("OutboxEvent", outboxSchema);
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<number> | undefined;
  let again = false;

  async function publishOne(doc: OutboxDoc): Promise<boolean> {
    try {
      await deps.publisher.publish({ id: doc._id, topic: doc.topic, data: doc.data });
      deps.metrics.eventsPublished.inc({ topic: doc.topic, result: "ok" });
      return true;
    } catch (error) {
      deps.metrics.eventsPublished.inc({ topic: doc.topic, result: "failed" });
      await model.updateOne(
        { _id: doc._id },
        { $inc: { attempts: 1 }, $set: { lastError: (error as Error).message } },
      );
      deps.logger.warn(
        { error: (error as Error).message, topic: doc.topic, eventId: doc._id },
        "publish deferred: kept in the outbox",
      );
      return false;
    }
  }

  async function flushNow(): Promise<number> {
    let published = 0;
    for (;;) {
      const batch = await model.find().sort({ createdAt: 1 }).limit(100).lean();
      const done: string[] = [];
      let failed = false;
      for (const doc of batch) {
        // Stop at the first failure: order is kept and a down sidecar is not hammered.
        if (!(await publishOne(doc))) {
          failed = true;
          break;
        }
        done.push(doc._id);
      }
      // One delete per round (the outbox is small, so its `$in` scan is cheap).
      if (done.length > 0) await model.deleteMany({ _id: { $in: done } });
      published += done.length;
      if (failed || batch.length < 100) return published;
    }
  }

  const outbox: Outbox = {
    async send(events) {
      const createdAt = new Date();
      if (events.length > 0) {
        try {
          await model.insertMany(
            events.map((event) => ({
              _id: event.id,
              topic: event.topic,
              data: event.data,
              createdAt,
              attempts: 0,
            })),
            { ordered: false },
          );
        } catch (error) {
          // Ids already stored are the same facts: keep them as they are.
          const writeErrors = (error as { writeErrors?: Array<{ code?: number }> }).writeErrors;
          if (!writeErrors?.every((e) => e.code === 11000) && !isDuplicateKey(error)) throw error;
        }
      }
      outbox.flush().catch((error: unknown) => deps.logger.warn({ err: error }, "outbox flush"));
    },
    flush() {
      // One flush at a time keeps the publish order; a call during a flush asks for one
      // more round, so an event stored meanwhile is not left for the relay.
      if (flushing) {
        again = true;
        return flushing;
      }
      flushing = (async () => {
        let published = 0;
        try {
          do {
            again = false;
            published += await flushNow();
          } while (again);
          return published;
        } finally {
          flushing = undefined;
        }
      })();
      return flushing;
    },
    startRelay(intervalMs) {
      timer = setInterval(() => {
        outbox.flush().catch((error: unknown) => deps.logger.warn({ err: error }, "outbox relay"));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await flushing?.catch(() => 0);
    },
    pending: () => model.countDocuments(),
  };
  return outbox;
}
