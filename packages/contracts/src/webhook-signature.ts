import { createHmac, timingSafeEqual } from "node:crypto";

// Webhook signatures between the bus gateway and partners, both ways (docs/gateway-config.md,
// "Webhook signatures"), in the style of Standard Webhooks (standardwebhooks.com):
//
//   webhook-id:        the message id (the same on every retry of one message)
//   webhook-timestamp: Unix seconds when this attempt was signed
//   webhook-signature: "v1,<base64 HMAC-SHA256>", several separated by spaces
//
// signed over `<id>.<timestamp>.<topic>.<body>` with the exact body bytes. The topic is
// Symbiont's addition, so a captured webhook cannot be sent again to another topic; a
// Standard Webhooks library signs it when given `<topic>.<body>` as the payload. A key written
// `whsec_<base64>` is used as its decoded bytes (as those libraries do), any other as UTF-8.
// A receiver accepts a signature made with any of its keys (the current and the previous one
// while a key is rotated), a timestamp within its tolerance either side of its clock, and an id
// it has not already taken with that timestamp.

export const webhookIdHeader = "webhook-id";
export const webhookTimestampHeader = "webhook-timestamp";
export const webhookSignatureHeader = "webhook-signature";
/** How far a webhook's timestamp may be from the receiver's clock, either way (default 5 min). */
export const defaultWebhookToleranceMs = 5 * 60_000;
/** What a webhook id may be: 1-200 visible ASCII characters (it travels as a header). */
export const webhookIdPattern = /^[\x21-\x7e]{1,200}$/;

export interface WebhookMessage {
  id: string;
  /** Unix seconds. */
  timestamp: number;
  topic: string;
  body: string | Buffer;
}

export type WebhookRefusal =
  | "MissingSignatureHeaders"
  | "InvalidWebhookId"
  | "InvalidTimestamp"
  | "StaleTimestamp"
  | "FutureTimestamp"
  | "BadSignature"
  | "ReplayedWebhook";

export type WebhookVerdict =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: WebhookRefusal; message: string };

function keyBytes(key: string): Buffer {
  return key.startsWith("whsec_")
    ? Buffer.from(key.slice("whsec_".length), "base64")
    : Buffer.from(key, "utf8");
}

function digest(message: WebhookMessage, key: string): Buffer {
  return createHmac("sha256", keyBytes(key))
    .update(`${message.id}.${message.timestamp}.${message.topic}.`)
    .update(message.body)
    .digest();
}

/** The `webhook-signature` value for one message and key: `v1,<base64>`. */
export function signWebhook(message: WebhookMessage, key: string): string {
  return `v1,${digest(message, key).toString("base64")}`;
}

/** The three headers of a webhook signed with `key` at `now` (ms). */
export function webhookSignatureHeaders(
  message: Omit<WebhookMessage, "timestamp">,
  key: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    [webhookIdHeader]: message.id,
    [webhookTimestampHeader]: String(timestamp),
    [webhookSignatureHeader]: signWebhook({ ...message, timestamp }, key),
  };
}

/**
 * The ids a receiver has taken, each with the timestamp it came with, kept for the tolerance
 * window (after it, the timestamp alone refuses the webhook). The same id with the same
 * timestamp again is a replay of a captured request; the same id signed at another time is
 * the sender's retry (only the key holder can sign it), left to the receiver's idempotency.
 */
export class WebhookReplayGuard {
  readonly #seen = new Map<string, number>();

  constructor(private readonly toleranceMs = defaultWebhookToleranceMs) {}

  /** Remembers the id; false when it was already taken with this timestamp. */
  take(scope: string, id: string, timestamp: number, now = Date.now()): boolean {
    this.#forget(now);
    const key = `${scope}\u0000${id}\u0000${timestamp}`;
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, timestamp * 1000 + this.toleranceMs);
    return true;
  }

  /** Forgets an id taken by a request that then failed, so the sender's retry is not refused. */
  release(scope: string, id: string, timestamp: number): void {
    this.#seen.delete(`${scope}\u0000${id}\u0000${timestamp}`);
  }

  get size(): number {
    return this.#seen.size;
  }

  #forget(now: number): void {
    for (const [key, until] of this.#seen) if (until < now) this.#seen.delete(key);
  }
}

/**
 * The signing time of each attempt of a message, in ms: never the same whole second twice for
 * one id (a receiver takes the same id and timestamp again as a replay), so a retry within the
 * second of the previous attempt is dated one second later (well within any tolerance).
 */
export class WebhookAttemptClock {
  readonly #last = new Map<string, number>();

  constructor(private readonly remember = 10_000) {}

  next(id: string, now = Date.now()): number {
    const seconds = Math.floor(now / 1000);
    const last = this.#last.get(id);
    const chosen = last !== undefined && seconds <= last ? last + 1 : seconds;
    this.#last.delete(id);
    this.#last.set(id, chosen);
    // The oldest ids go first: a message is retried long before ten thousand others are sent.
    if (this.#last.size > this.remember) this.#last.delete(this.#last.keys().next().value!);
    return chosen === seconds ? now : chosen * 1000;
  }
}

export interface VerifyWebhookInput {
  headers: Readonly<Record<string, string | undefined>>;
  topic: string;
  body: string | Buffer;
}

export interface VerifyWebhookOptions {
  /** Every key that may have signed it: the current one, and the previous one while rotating. */
  keys: readonly string[];
  toleranceMs?: number;
  now?: number;
  /** Without a guard, replays are not detected. `scope` separates senders sharing one guard. */
  guard?: WebhookReplayGuard;
  scope?: string;
}

/** Checks a webhook's headers (lower-case names) against its topic and exact body. */
export function verifyWebhook(
  input: VerifyWebhookInput,
  options: VerifyWebhookOptions,
): WebhookVerdict {
  const id = input.headers[webhookIdHeader];
  const timestampText = input.headers[webhookTimestampHeader];
  const signatures = input.headers[webhookSignatureHeader];
  if (!id || !timestampText || !signatures)
    return refuse(
      "MissingSignatureHeaders",
      `${webhookIdHeader}, ${webhookTimestampHeader} and ${webhookSignatureHeader} are required`,
    );
  if (!webhookIdPattern.test(id))
    return refuse("InvalidWebhookId", `${webhookIdHeader} must be 1-200 visible ASCII characters`);
  if (!/^\d{1,12}$/.test(timestampText))
    return refuse("InvalidTimestamp", `${webhookTimestampHeader} must be Unix seconds`);
  const timestamp = Number(timestampText);
  const now = options.now ?? Date.now();
  const tolerance = options.toleranceMs ?? defaultWebhookToleranceMs;
  const skew = timestamp * 1000 - now;
  if (skew < -tolerance)
    return refuse(
      "StaleTimestamp",
      `${webhookTimestampHeader} is ${Math.round(-skew / 1000)}s old; at most ${tolerance / 1000}s is accepted`,
    );
  if (skew > tolerance)
    return refuse(
      "FutureTimestamp",
      `${webhookTimestampHeader} is ${Math.round(skew / 1000)}s ahead; at most ${tolerance / 1000}s is accepted`,
    );
  const message = { id, timestamp, topic: input.topic, body: input.body };
  const expected = options.keys.filter((key) => key.length > 0).map((key) => digest(message, key));
  const matches = signatures
    .split(" ")
    .filter((part) => part.startsWith("v1,"))
    .map((part) => Buffer.from(part.slice(3), "base64"))
    .some((given) =>
      expected.some((want) => given.length === want.length && timingSafeEqual(given, want)),
    );
  if (!matches)
    return refuse(
      "BadSignature",
      `${webhookSignatureHeader} does not match ${webhookIdHeader}.${webhookTimestampHeader}.topic.body for ${input.topic ? `topic ${input.topic}` : "no topic (name it in X-Symbiont-Topic)"}`,
    );
  if (options.guard && !options.guard.take(options.scope ?? "", id, timestamp, now))
    return refuse(
      "ReplayedWebhook",
      `${webhookIdHeader} ${id} was already received with this timestamp; a retry is signed anew`,
    );
  return { ok: true, id, timestamp };
}

function refuse(reason: WebhookRefusal, message: string): WebhookVerdict {
  return { ok: false, reason, message };
}
