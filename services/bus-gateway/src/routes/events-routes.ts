import { Router, type Response } from "express";
import type { GatewayContext } from "../domain/gateway-context.js";
import {
  handleBusMessage,
  handleDeadLetter,
  type BusAnswer,
} from "../domain/handle-bus-message.js";
import { poisonHeadBytes, recordPoison } from "../domain/record-poison.js";
import { cloudEventSchema, type CloudEvent } from "@symbiont/contracts";
import { readCappedBody, type CappedBody } from "./read-capped-body.js";
import { requireSidecarToken } from "../auth/require-sidecar-token.js";

// Dapr delivers subscribed messages to `/events/<topic>` and dead letters to
// `/deadletters/<subscriber>/<topic>` (CloudEvents in structured mode). The answer follows
// Dapr's contract: SUCCESS once the ledger write is durable, and a 500 (retry) when the
// ledger or the other bus is unavailable. A message that can never be taken (not a
// CloudEvent, over the body limit, a topic the gateway does not serve) is recorded as a
// dead letter and acknowledged: answered with an error, Dapr would redeliver it forever and
// an ordered topic would stop behind it. Only the gateway's own sidecar may deliver: a call
// without its app API token is refused (401) before the body is read.

interface EventsLog {
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

type Handle = (event: CloudEvent) => Promise<BusAnswer>;

export function eventsRoutes(
  context: GatewayContext,
  options: { maxBodyBytes: number; appToken: string; log: EventsLog },
): Router {
  const router = Router();
  const fromSidecar = requireSidecarToken(options.appToken);
  const take = async (topic: string, body: CappedBody, res: Response, handle: Handle) => {
    const parsed = parseEvent(body, options.maxBodyBytes);
    try {
      let answer: BusAnswer;
      if (parsed.ok) answer = await handle(parsed.event);
      else {
        const outcome = await recordPoison(context, { topic, body, ...parsed.poison });
        answer = { status: "SUCCESS", outcome };
        options.log.warn(
          { topic, reason: parsed.poison.reason, bytes: body.bytes },
          "message can never be taken: recorded as a dead letter",
        );
      }
      if (answer.status === "DROP") {
        const outcome = await recordPoison(context, {
          topic,
          body,
          reason: answer.reason,
          ...(parsed.ok ? { id: parsed.event.id, pubsub: parsed.event.pubsubname } : {}),
        });
        answer = { status: "SUCCESS", outcome };
      }
      const pubsub = parsed.ok ? (parsed.event.pubsubname ?? "unknown") : "unknown";
      context.counters.received(pubsub, topic, answer.outcome);
      options.log.debug(
        { topic, pubsub, id: parsed.ok ? parsed.event.id : undefined, outcome: answer.outcome },
        "message taken",
      );
      res.status(200).json({ status: "SUCCESS", outcome: answer.outcome });
    } catch (error) {
      options.log.warn(
        { topic, id: parsed.ok ? parsed.event.id : undefined, err: (error as Error).message },
        "message not taken; Dapr will retry",
      );
      res.status(500).json({
        status: "RETRY",
        error: { code: "Unavailable", message: (error as Error).message },
      });
    }
  };

  router.post("/events/:topic", fromSidecar, async (req, res) => {
    const topic = String(req.params.topic);
    const body = await readCappedBody(req, options.maxBodyBytes, poisonHeadBytes);
    await take(topic, body, res, (event) => handleBusMessage(context, topic, event));
  });
  router.post("/deadletters/:subscriber/:topic", fromSidecar, async (req, res) => {
    const topic = String(req.params.topic);
    const subscriber = String(req.params.subscriber);
    const body = await readCappedBody(req, options.maxBodyBytes, poisonHeadBytes);
    await take(topic, body, res, (event) => handleDeadLetter(context, subscriber, topic, event));
  });
  return router;
}

type ParsedEvent =
  | { ok: true; event: CloudEvent }
  | { ok: false; poison: { reason: string; id?: string; pubsub?: string } };

function parseEvent(body: CappedBody, limit: number): ParsedEvent {
  if (body.text === undefined)
    return { ok: false, poison: { reason: `TooLarge: over the body limit of ${limit} bytes` } };
  let raw: unknown;
  try {
    raw = JSON.parse(body.text);
  } catch (error) {
    return { ok: false, poison: { reason: `NotJson: ${(error as Error).message}` } };
  }
  const parsed = cloudEventSchema.safeParse(raw);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issue = parsed.error.issues[0];
  const fields = (raw ?? {}) as { id?: unknown; pubsubname?: unknown };
  return {
    ok: false,
    poison: {
      reason: `NotACloudEvent: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
      ...(typeof fields.pubsubname === "string" ? { pubsub: fields.pubsubname } : {}),
    },
  };
}
