import { randomUUID } from "node:crypto";
import { verifyWebhook, type WebhookRefusal, type WebhookReplayGuard } from "@symbiont/contracts";
import type { PartnerConfig } from "../config.js";
import { AppError } from "@symbiont/service-kit";
import type { GatewayContext } from "./gateway-context.js";
import { entryKey, type LedgerEntry } from "./ledger-entry.js";
import { safeEqual } from "./sign-payload.js";
import type { TokenBucket } from "./token-bucket.js";

// A partner's webhook (`POST /inbound/<partner>`): known partner, proven by its credentials
// (hmac: a signed id, timestamp, topic and body within the tolerance, not a replay), within its
// rate, a JSON body for one of the topics it produces, valid against that topic's schema; then
// published on the corporate bus and recorded. The message id is the signed webhook-id (for
// bearer and basic, the Idempotency-Key): a partner that sends the same id again, re-signed,
// gets the first answer and nothing is published twice.

/** What the inbound route keeps between requests: a rate per partner, the ids it took. */
export interface InboundGuards {
  limiters: ReadonlyMap<string, TokenBucket>;
  replays: WebhookReplayGuard;
}

export interface InboundRequest {
  partner: string;
  body: Buffer;
  headers: Record<string, string | undefined>;
  topic: string | undefined;
}

export interface InboundAnswer {
  status: 200 | 202;
  id: string;
  topic: string;
  duplicate: boolean;
}

/** A replay conflicts with what was taken; malformed headers are bad requests; the rest 401. */
const refusalStatus: Record<WebhookRefusal, 400 | 401 | 409> = {
  MissingSignatureHeaders: 401,
  BadSignature: 401,
  StaleTimestamp: 401,
  FutureTimestamp: 401,
  InvalidWebhookId: 400,
  InvalidTimestamp: 400,
  ReplayedWebhook: 409,
};

const idPattern = /^[A-Za-z0-9._:-]{1,200}$/;

export async function receiveInbound(
  context: GatewayContext,
  guards: InboundGuards,
  request: InboundRequest,
): Promise<InboundAnswer> {
  const partner = context.routes.partners.get(request.partner);
  if (!partner || partner.direction === "outbound")
    throw new AppError({
      status: 404,
      code: "UnknownPartner",
      message: `no inbound partner ${request.partner}`,
    });
  // Authentication first: unauthenticated calls must not use the partner's rate (a flood of
  // forged webhooks would otherwise lock the real partner out).
  // The topic is signed, so it is settled before the signature is checked.
  const topic = request.topic ?? (partner.produces.length === 1 ? partner.produces[0] : undefined);
  const signed = authenticate(context, partner, guards.replays, request, topic ?? "");
  try {
    return await accept(context, guards, partner, request, topic, signed?.id);
  } catch (error) {
    // A webhook that was not taken may come again as it was (a retry within the same second).
    if (signed) guards.replays.release(partner.name, signed.id, signed.timestamp);
    throw error;
  }
}

async function accept(
  context: GatewayContext,
  guards: InboundGuards,
  partner: PartnerConfig,
  request: InboundRequest,
  topic: string | undefined,
  signedId: string | undefined,
): Promise<InboundAnswer> {
  if (!guards.limiters.get(partner.name)?.take())
    throw new AppError({
      status: 429,
      code: "RateLimited",
      message: `partner ${partner.name} is over its rate limit`,
    });
  let payload: unknown;
  try {
    payload = JSON.parse(request.body.toString("utf8"));
  } catch {
    throw new AppError({
      status: 400,
      code: "MalformedBody",
      message: "the body is not valid JSON",
    });
  }
  if (!topic || !partner.produces.includes(topic)) {
    throw new AppError({
      status: 400,
      code: "UnknownTopic",
      message: `partner ${partner.name} produces ${partner.produces.join(", ") || "no topic"}${request.topic ? `, not ${request.topic}` : "; name one in X-Symbiont-Topic"}`,
    });
  }
  const schemaRoute = context.routes.schemaRouteFor(topic);
  if (schemaRoute) {
    const validation = context.validator.validate(schemaRoute.name, payload);
    if (!validation.ok)
      throw new AppError({ status: 422, code: "SchemaViolation", message: validation.error });
  }
  const idHeader = signedId ?? request.headers["idempotency-key"];
  if (idHeader !== undefined && !idPattern.test(idHeader))
    throw new AppError({
      status: 400,
      code: signedId ? "InvalidWebhookId" : "InvalidIdempotencyKey",
      message: `${signedId ? "webhook-id" : "Idempotency-Key"} must be 1-200 of A-Z a-z 0-9 . _ : -`,
    });
  const id = idHeader ?? randomUUID();
  const key = entryKey("inbound", partner.name, topic, id);
  // Recorded before it is published: the first record's unique key recognises a partner's
  // retry (no lookup: delivered entries are not in memory, and the database answers a
  // lookup slowly). One recorded but not published (the publish failed, or the gateway
  // stopped in between) is still open, payload included: the partner's retry publishes it,
  // or the gateway's own sweep (publishWaitingInbound) does.
  let entry = context.ledger.get(key);
  if (!entry) {
    const [written] = await context.ledger.accept([
      {
        messageId: id,
        kind: "inbound",
        target: partner.name,
        topic,
        pubsub: context.file.corporatePubsub,
        state: "accepted",
        payload: JSON.stringify(payload),
      },
    ]);
    if (written === undefined || written === "duplicate")
      return { status: 200, id, topic, duplicate: true };
    entry = written;
  }
  await publishInbound(context, entry);
  return { status: 202, id, topic, duplicate: false };
}

/**
 * Publishes a recorded inbound message on the corporate bus and records it delivered. One
 * publish per message at a time: the partner's retry and the gateway's own sweep may meet.
 */
export function publishInbound(context: GatewayContext, entry: LedgerEntry): Promise<void> {
  const running = context.inboundPublishing.get(entry.key);
  if (running) return running;
  const publishing = (async () => {
    await context.bus.publish(context.file.corporatePubsub, entry.topic, {
      specversion: "1.0",
      id: entry.messageId,
      source: `partner/${entry.target}`,
      type: entry.topic,
      datacontenttype: "application/json",
      data: JSON.parse(entry.payload ?? "null") as unknown,
      symbiontpartner: entry.target,
    });
    await context.ledger.change(entry, { state: "delivered", attempts: entry.attempts + 1 });
  })();
  context.inboundPublishing.set(entry.key, publishing);
  const done = () => context.inboundPublishing.delete(entry.key);
  publishing.then(done, done);
  return publishing;
}

/**
 * Inbound messages recorded but not published (the publish failed, or the gateway stopped in
 * between) that have waited `graceMs`: the gateway publishes them itself rather than wait for
 * a partner's retry that may never come. Returns how many were published.
 */
export async function publishWaitingInbound(
  context: GatewayContext,
  graceMs: number,
): Promise<number> {
  const now = context.ledger.clock();
  const waiting = [...context.ledger.entries()].filter(
    (entry) =>
      entry.kind === "inbound" &&
      entry.state === "accepted" &&
      entry.payload !== undefined &&
      now - entry.updatedAt >= graceMs,
  );
  let published = 0;
  for (const entry of waiting) {
    try {
      await publishInbound(context, entry);
      published += 1;
    } catch {
      // Still waiting: the next sweep (or the partner's retry) tries again.
    }
  }
  return published;
}

/** Throws 401 unless the request carries the partner's credential; answers what was signed. */
function authenticate(
  context: GatewayContext,
  partner: PartnerConfig,
  replays: WebhookReplayGuard,
  request: InboundRequest,
  topic: string,
): { id: string; timestamp: number } | undefined {
  const auth = partner.auth;
  if (auth.type === "none") return undefined;
  const secret = context.partnerSecrets.get(partner.name);
  if (secret === undefined)
    throw new AppError({ status: 401, code: "Unauthorized", message: "no credentials configured" });
  if (auth.type === "hmac") {
    const previous = context.partnerPreviousSecrets.get(partner.name);
    const verdict = verifyWebhook(
      { headers: request.headers, topic, body: request.body },
      {
        keys: previous === undefined ? [secret] : [secret, previous],
        toleranceMs: auth.toleranceMs,
        guard: replays,
        scope: partner.name,
      },
    );
    if (!verdict.ok)
      throw new AppError({
        status: refusalStatus[verdict.reason],
        code: verdict.reason,
        message: verdict.message,
      });
    return { id: verdict.id, timestamp: verdict.timestamp };
  }
  const header = request.headers.authorization ?? "";
  const expected =
    auth.type === "bearer" ? `Bearer ${secret}` : `Basic ${Buffer.from(secret).toString("base64")}`;
  if (!safeEqual(header, expected))
    throw new AppError({ status: 401, code: "Unauthorized", message: "credentials do not match" });
  return undefined;
}
