import { createHash } from "node:crypto";
import { cloudEventSchema, type CloudEvent } from "@symbiont/contracts";
import type { GatewayContext } from "../domain/gateway-context.js";
import type { BusAnswer } from "../domain/handle-bus-message.js";
import { poisonHeadBytes, recordPoison } from "../domain/record-poison.js";
import type { CappedBody } from "./read-capped-body.js";

// How the gateway takes one message its sidecar hands it, whichever way it came (an HTTP
// delivery, an entry of a bulk delivery, a message of a streaming subscription): SUCCESS once
// recorded; a message that can never be taken (not a CloudEvent, over the body limit, a topic
// the gateway does not serve) is recorded as a dead letter and acknowledged; anything else
// throws, and Dapr retries the message.

export interface TakeLog {
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

export type Handle = (event: CloudEvent) => Promise<BusAnswer>;

/** What a taken message is answered: recorded (a dead letter too), never dropped unrecorded. */
export type Taken = Extract<BusAnswer, { status: "SUCCESS" }>;

export type TakeMessage = (topic: string, body: MessageBody, handle: Handle) => Promise<Taken>;

/** One message's answer: SUCCESS once recorded; throws when Dapr must retry it. */
export function messageTaker(
  context: GatewayContext,
  options: { maxBodyBytes: number; log: TakeLog },
): TakeMessage {
  const { log, maxBodyBytes } = options;
  return async (topic: string, body: MessageBody, handle: Handle): Promise<Taken> => {
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
}

/** A message's body; `value` when its JSON was parsed already (a bulk delivery's entry). */
export type MessageBody = CappedBody & { value?: unknown };

/**
 * A bulk entry's event as a body of its own: its size counts against the limit; its head and
 * hash, which only a poison message's record needs, are worked out when asked for.
 */
export function entryBody(event: unknown): MessageBody {
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
export function capped(body: MessageBody, limit: number): MessageBody {
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
