import {
  AppError,
  parseInput,
  subscriptionRoute,
  type CloudEvent,
  type ServiceRuntime,
} from "@symbiont/service-kit";
import type { Router } from "express";
import { z } from "zod";
import type { Refusal } from "../data/refusal-store.js";

/**
 * A subscription (the kit's: idempotent by CloudEvent id, DROP for what can never apply) that
 * also records why it refused an event: a payload that breaks the topic's schema, or one the
 * domain refuses (unknown offer, a rule of the game, an illegal transition). Dapr moves the
 * event itself to the dead-letter topic; `refused` keeps the reason (`GET /v1/refused-events`)
 * and answers whoever sent it.
 */
export function refusingSubscription<Schema extends z.ZodType>(
  options: {
    topic: string;
    schema: Schema;
    handle: (data: z.output<Schema>, event: CloudEvent) => Promise<void>;
  },
  runtime: ServiceRuntime,
  refused: (refusal: Refusal) => Promise<void>,
): Router {
  return subscriptionRoute(
    {
      topic: options.topic,
      schema: z.unknown(),
      handle: async (raw, event) => {
        try {
          await options.handle(parseInput(options.schema, raw, "event"), event);
        } catch (error) {
          if (error instanceof AppError && error.status < 500) {
            const rule = error.details?.rule;
            await refused({
              eventId: event.id,
              topic: options.topic,
              code: error.code,
              reason: error.message,
              ...(typeof rule === "string" ? { rule } : {}),
              at: new Date().toISOString(),
              data: raw,
            });
          }
          throw error;
        }
      },
    },
    { inbox: runtime.inbox, logger: runtime.logger, metrics: runtime.metrics },
  );
}
