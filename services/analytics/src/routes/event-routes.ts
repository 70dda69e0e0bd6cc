import { randomUUID } from "node:crypto";
import type { AppError } from "@symbiont/service-kit";
import { cloudEventSchema, parseInput, type ServiceMetrics } from "@symbiont/service-kit";
import { Router, type RequestHandler } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import { payloadExcerpt } from "../data/rejected-events.js";
import type { AnalyticsService } from "../domain/analytics-service.js";

// Bus deliveries (`POST /events/<topic>`, the route the operator renders for each subscribed
// topic) and the admin's side of ingestion: a bulk import of history, the dead letters with
// their reasons, and a rebuild of every figure from the event log.
//
// Deliveries answer Dapr's contract: SUCCESS when applied or already applied (the event log
// is the inbox: one document per CloudEvent id), DROP when the event can never be read (it
// goes to the topic's dead-letter topic, and its reason is kept here), RETRY otherwise.

const importBody = z.strictObject({
  events: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(256),
        topic: z.string().min(1).max(200),
        data: z.unknown(),
      }),
    )
    .min(1)
    .max(1_000),
});
const deadLetterQuery = z.strictObject({
  topic: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

type DaprStatus = "SUCCESS" | "RETRY" | "DROP";

export function eventRoutes(
  analytics: AnalyticsService,
  deps: { logger: Logger; metrics: ServiceMetrics; admins: RequestHandler },
): Router {
  const router = Router();
  const { rejected } = analytics.deps;
  router.post("/events/:topic", async (req, res) => {
    const topic = req.params.topic;
    const answer = (status: DaprStatus, result: string) => {
      deps.metrics.eventsReceived.inc({ topic, result });
      res.status(200).json({ status });
    };
    let event: z.output<typeof cloudEventSchema>;
    try {
      event = parseInput(cloudEventSchema, req.body, "event");
    } catch (error) {
      const reason = (error as AppError).message;
      const id = (req.body as { id?: unknown } | undefined)?.id;
      await rejected
        .record([
          {
            _id: typeof id === "string" && id.length > 0 ? id : `malformed:${randomUUID()}`,
            topic,
            reason,
            data: payloadExcerpt(req.body),
            rejectedAt: new Date(analytics.deps.now()),
          },
        ])
        .catch(() => undefined);
      deps.logger.warn({ topic, reason }, "not a CloudEvent: to the dead-letter topic");
      answer("DROP", "dropped");
      return;
    }
    try {
      const [result] = await analytics.ingest([{ id: event.id, topic, data: event.data }]);
      if (result!.outcome === "refused") {
        deps.logger.warn(
          { topic, eventId: event.id, reason: result!.reason },
          "event refused: to the dead-letter topic",
        );
        answer("DROP", "dropped");
      } else answer("SUCCESS", result!.outcome);
    } catch (error) {
      deps.logger.error(
        { topic, eventId: event.id, err: error },
        "event not stored, will be retried",
      );
      answer("RETRY", "retry");
    }
  });
  router.post("/admin/events", deps.admins, async (req, res) => {
    const { events } = parseInput(importBody, req.body, "body");
    const results = await analytics.ingest(events);
    const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
    res.json({
      applied: count("applied"),
      duplicate: count("duplicate"),
      refused: results.filter((r) => r.outcome === "refused"),
    });
  });
  router.get("/admin/dead-letters", deps.admins, async (req, res) => {
    const { topic, limit } = parseInput(deadLetterQuery, req.query, "query");
    res.json({ deadLetters: await rejected.list(limit, topic) });
  });
  router.post("/admin/rebuild", deps.admins, async (_req, res) => {
    res.json(await analytics.rebuild());
  });
  return router;
}
