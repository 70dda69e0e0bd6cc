import { Router } from "express";
import type { Logger } from "pino";
import type { z } from "zod";
import { AppError } from "../errors/app-error.js";
import { parseInput } from "../http/parse-input.js";
import type { ServiceMetrics } from "../metrics/service-metrics.js";
import { cloudEventSchema, defaultRoute, type CloudEvent } from "@symbiont/contracts";
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

type DaprStatus = "SUCCESS" | "RETRY" | "DROP";
/** The answer to Dapr and the metric label (applied, duplicate, retry, dropped). */
interface Outcome {
  status: DaprStatus;
  result: "applied" | "duplicate" | "retry" | "dropped";
}

/**
 * One route per subscribed topic, answering Dapr's contract: SUCCESS when applied or
 * already applied (a redelivery, recognised by its CloudEvent id), RETRY when it may work
 * later, DROP (to the dead-letter topic) when the event can never be applied.
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
    const answer = ({ status, result }: Outcome) => {
      deps.metrics.eventsReceived.inc({ topic, result });
      res.status(200).json({ status });
    };
    let event: CloudEvent;
    let data: z.output<Schema>;
    try {
      event = parseInput(cloudEventSchema, req.body, "event");
      data = parseInput(options.schema, event.data, "event");
    } catch (error) {
      deps.logger.warn({ topic, err: error }, "event refused: it goes to the dead-letter topic");
      answer({ status: "DROP", result: "dropped" });
      return;
    }
    const running = inFlight.get(event.id);
    if (running) {
      const first = await running;
      answer(
        first.status === "SUCCESS"
          ? { status: "SUCCESS", result: "duplicate" }
          : { status: "RETRY", result: "retry" },
      );
      return;
    }
    const applying = apply(event, data);
    inFlight.set(event.id, applying);
    try {
      answer(await applying);
    } finally {
      inFlight.delete(event.id);
    }
  });

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
