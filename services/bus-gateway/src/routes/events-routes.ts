import { createHash } from "node:crypto";
import { Router, type Request, type Response } from "express";
import type { GatewayContext } from "../domain/gateway-context.js";
import {
  handleBusMessage,
  handleDeadLetter,
  type BusAnswer,
} from "../domain/handle-bus-message.js";
import { poisonHeadBytes, recordPoison } from "../domain/record-poison.js";
import {
  asBulkDelivery,
  bulkEventType,
  cloudEventSchema,
  maxBulkEntries,
  type BulkDelivery,
  type CloudEvent,
} from "@symbiont/contracts";
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
  const { log, maxBodyBytes } = options;

  /** One message's answer: SUCCESS once recorded; throws when Dapr must retry it. */
  const takeOne = async (topic: string, body: MessageBody, handle: Handle) => {
    const parsed = parseEvent(body, maxBodyBytes);
    try {
      let answer: BusAnswer;
      if (parsed.ok) answer = await handle(parsed.event);
      else {
        const outcome = await recordPoison(context, { topic, body, ...parsed.poison });
        answer = { status: "SUCCESS", outcome };
        log.warn(
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
      log.debug(
        { topic, pubsub, id: parsed.ok ? parsed.event.id : undefined, outcome: answer.outcome },
        "message taken",
      );
      return answer;
    } catch (error) {
      log.warn(
        { topic, id: parsed.ok ? parsed.event.id : undefined, err: (error as Error).message },
        "message not taken; Dapr will retry",
      );
      throw error;
    }
  };

  const take = async (topic: string, req: Request, res: Response, handle: Handle) => {
    // The sidecar sends one message as a CloudEvent and a bulk delivery (up to
    // `maxBulkEntries` messages, each with its own limit) as JSON: only the latter may be read
    // past one message's limit.
    const single = (req.headers["content-type"] ?? "").startsWith("application/cloudevents+json");
    const body = await readCappedBody(
      req,
      single ? maxBodyBytes : maxBodyBytes * maxBulkEntries,
      poisonHeadBytes,
    );
    const bulk = single || body.text === undefined ? undefined : parseBulk(body.text);
    if (bulk) {
      context.counters.bulkDelivery(topic, bulk.entries.length);
      res.status(200).json({ statuses: await takeBulk(topic, bulk, handle) });
      return;
    }
    try {
      const answer = await takeOne(topic, capped(body, maxBodyBytes), handle);
      res.status(200).json({ status: "SUCCESS", outcome: answer.outcome });
    } catch (error) {
      res.status(500).json({
        status: "RETRY",
        error: { code: "Unavailable", message: (error as Error).message },
      });
    }
  };

  /**
   * The entries of a bulk delivery (Dapr's bulk subscribe), each answered on its own: taken
   * together, so their ledger records share one group commit. An entry without an answer of
   * SUCCESS is retried by Dapr, alone.
   */
  const takeBulk = (topic: string, bulk: BulkDelivery, handle: Handle) =>
    Promise.all(
      bulk.entries.map(async (entry) => {
        try {
          await takeOne(topic, capped(entryBody(entry.event), maxBodyBytes), handle);
          return { entryId: entry.entryId, status: "SUCCESS" as const };
        } catch {
          return { entryId: entry.entryId, status: "RETRY" as const };
        }
      }),
    );

  router.post("/events/:topic", fromSidecar, async (req, res) => {
    const topic = String(req.params.topic);
    await take(topic, req, res, (event) => handleBusMessage(context, topic, event));
  });
  router.post("/deadletters/:subscriber/:topic", fromSidecar, async (req, res) => {
    const topic = String(req.params.topic);
    const subscriber = String(req.params.subscriber);
    await take(topic, req, res, (event) => handleDeadLetter(context, subscriber, topic, event));
  });
  return router;
}

function parseBulk(text: string): BulkDelivery | undefined {
  if (!text.includes(bulkEventType)) return undefined;
  try {
    return asBulkDelivery(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** A message's body; `value` when its JSON was parsed already (a bulk delivery's entry). */
type MessageBody = CappedBody & { value?: unknown };

/**
 * A bulk entry's event as a body of its own: its size counts against the limit; its head and
 * hash, which only a poison message's record needs, are worked out when asked for.
 */
function entryBody(event: unknown): MessageBody {
  const parsed = typeof event !== "string";
  const text = parsed ? (JSON.stringify(event) ?? "") : event;
  let head: string | undefined;
  let sha256: string | undefined;
  return {
    text,
    ...(parsed ? { value: event } : {}),
    bytes: Buffer.byteLength(text),
    get head() {
      return (head ??= Buffer.from(text).subarray(0, poisonHeadBytes).toString("utf8"));
    },
    get sha256() {
      return (sha256 ??= createHash("sha256").update(text).digest("hex"));
    },
  };
}

/** The body as one message's limit sees it: over the limit, only its head is kept. */
function capped(body: MessageBody, limit: number): MessageBody {
  if (body.bytes <= limit) return body;
  const { value: _value, ...rest } = body;
  return { ...rest, text: undefined };
}

type ParsedEvent =
  | { ok: true; event: CloudEvent }
  | { ok: false; poison: { reason: string; id?: string; pubsub?: string } };

function parseEvent(body: MessageBody, limit: number): ParsedEvent {
  if (body.text === undefined)
    return { ok: false, poison: { reason: `TooLarge: over the body limit of ${limit} bytes` } };
  let raw: unknown = body.value;
  if (!("value" in body)) {
    try {
      raw = JSON.parse(body.text);
    } catch (error) {
      return { ok: false, poison: { reason: `NotJson: ${(error as Error).message}` } };
    }
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
