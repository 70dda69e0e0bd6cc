import { Router } from "express";
import type { Logger } from "pino";
import type { z } from "zod";
import { AppError } from "../errors/app-error.js";
import { parseInput } from "../http/parse-input.js";
import type { ServiceMetrics } from "../metrics/service-metrics.js";
import {
  asBulkDelivery,
  cloudEventSchema,
  defaultRoute,
  type BulkAnswer,
  type CloudEvent,
  type DeliveryStatus,
} from "@symbiont/contracts";
import type { ProcessedEvents } from "./processed-events.js";

export interface SubscriptionOptions<Schema extends z.ZodType> {
  topic: string;
  /** Default `/events/<topic>`, the route the operator renders into the Subscription. */
  route?: string;
  schema: Schema;
  handle: (data: z.output<Schema>, event: CloudEvent) => Promise<void>;
}

interface SubscriptionDeps {
  inbox: ProcessedEvents;
  logger: Logger;
  metrics: ServiceMetrics;
}

/** The answer to Dapr and the metric label (applied, duplicate, retry, dropped). */
interface Outcome {
  status: DeliveryStatus;
  result: "applied" | "duplicate" | "retry" | "dropped";
}

/**
 * One route per subscribed topic, answering Dapr's contract: SUCCESS when applied or
 * already applied (a redelivery, recognised by its CloudEvent id), RETRY when it may work
 * later, DROP (to the dead-letter topic) when the event can never be applied. A bulk
 * delivery gets the same answer for each of its entries.
 */
export function subscriptionRoute<Schema extends z.ZodType>(
  options: SubscriptionOptions<Schema>,
  deps: SubscriptionDeps,
): Router {
  const router = Router();
  const { topic } = options;
  // Deliveries of one event id in flight in this process: a repeat waits for the first
  // one's outcome instead of bouncing back to the broker.
  const inFlight = new Map<string, Promise<Outcome>>();
  router.post(options.route ?? defaultRoute(topic), async (req, res) => {
    const bulk = asBulkDelivery(req.body);
    if (!bulk) {
      res.status(200).json({ status: (await take(req.body)).status });
      return;
    }
    // A bulk delivery (the subscription's `bulk` in the module's spec): its entries in order,
    // each answered on its own; one that fails is retried (or dead-lettered) alone.
    const answer: BulkAnswer = { statuses: [] };
    for (const entry of bulk.entries)
      answer.statuses.push({ entryId: entry.entryId, status: (await take(entry.event)).status });
    res.status(200).json(answer);
  });

  /** One event: parsed, applied once, counted. */
  async function take(body: unknown): Promise<Outcome> {
    const outcome = await outcomeOf(body);
    deps.metrics.eventsReceived.inc({ topic, result: outcome.result });
    return outcome;
  }

  async function outcomeOf(body: unknown): Promise<Outcome> {
    let event: CloudEvent;
    let data: z.output<Schema>;
    try {
      event = parseInput(cloudEventSchema, body, "event");
      data = parseInput(options.schema, event.data, "event");
    } catch (error) {
      deps.logger.warn({ topic, err: error }, "event refused: it goes to the dead-letter topic");
      return { status: "DROP", result: "dropped" };
    }
    const running = inFlight.get(event.id);
    if (running) {
      const first = await running;
      return first.status === "SUCCESS"
        ? { status: "SUCCESS", result: "duplicate" }
        : { status: "RETRY", result: "retry" };
    }
    const applying = apply(event, data);
    inFlight.set(event.id, applying);
    try {
      return await applying;
    } finally {
      inFlight.delete(event.id);
    }
  }

  async function apply(event: CloudEvent, data: z.output<Schema>): Promise<Outcome> {
    const claim = await deps.inbox.claim(event.id, topic);
    if (claim === "done") {
      deps.logger.info({ topic, eventId: event.id }, "redelivered event recognised, skipped");
      return { status: "SUCCESS", result: "duplicate" };
    }
    // Another replica is applying it: ask the broker to come back later.
    if (claim === "busy") return { status: "RETRY", result: "retry" };
    try {
      await options.handle(data, event);
      await deps.inbox.complete(event.id);
      return { status: "SUCCESS", result: "applied" };
    } catch (error) {
      await deps.inbox.release(event.id).catch(() => undefined);
      if (error instanceof AppError && error.status < 500) {
        deps.logger.warn({ topic, eventId: event.id, err: error }, "event refused by the domain");
        return { status: "DROP", result: "dropped" };
      }
      deps.logger.error({ topic, eventId: event.id, err: error }, "event failed, will be retried");
      return { status: "RETRY", result: "retry" };
    }
  }
  return router;
}
