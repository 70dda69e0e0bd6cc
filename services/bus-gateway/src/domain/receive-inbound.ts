import { randomUUID } from "node:crypto";
import type { PartnerConfig } from "../config.js";
import { AppError } from "@symbiont/service-kit";
import type { GatewayContext } from "./gateway-context.js";
import { entryKey } from "./ledger-entry.js";
import { safeEqual, verifySignature } from "./sign-payload.js";
import type { TokenBucket } from "./token-bucket.js";

// A partner's webhook (`POST /inbound/<partner>`): known partner, proven by its credentials,
// within its rate, a JSON body for one of the topics it produces, valid against that
// topic's schema; then published on the corporate bus and recorded. A partner that sends
// the same Idempotency-Key again gets the first answer and nothing is published twice.

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

const idPattern = /^[A-Za-z0-9._:-]{1,200}$/;

export async function receiveInbound(
  context: GatewayContext,
  limiters: ReadonlyMap<string, TokenBucket>,
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
  authenticate(partner, context.partnerSecrets.get(partner.name), request);
  if (!limiters.get(partner.name)?.take())
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
  const topic = request.topic ?? (partner.produces.length === 1 ? partner.produces[0] : undefined);
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
  const idHeader = request.headers["idempotency-key"];
  if (idHeader !== undefined && !idPattern.test(idHeader))
    throw new AppError({
      status: 400,
      code: "InvalidIdempotencyKey",
      message: "Idempotency-Key must be 1-200 of A-Z a-z 0-9 . _ : -",
    });
  const id = idHeader ?? randomUUID();
  const key = entryKey("inbound", partner.name, topic, id);
  if (context.ledger.get(key)) return { status: 200, id, topic, duplicate: true };
  await context.bus.publish(context.file.corporatePubsub, topic, {
    specversion: "1.0",
    id,
    source: `partner/${partner.name}`,
    type: topic,
    datacontenttype: "application/json",
    data: payload,
    symbiontpartner: partner.name,
  });
  const [written] = await context.ledger.accept([
    {
      messageId: id,
      kind: "inbound",
      target: partner.name,
      topic,
      pubsub: context.file.corporatePubsub,
      state: "delivered",
    },
  ]);
  return {
    status: written === "duplicate" ? 200 : 202,
    id,
    topic,
    duplicate: written === "duplicate",
  };
}

function authenticate(
  partner: PartnerConfig,
  secret: string | undefined,
  request: InboundRequest,
): void {
  const auth = partner.auth;
  if (auth.type === "none") return;
  if (secret === undefined)
    throw new AppError({ status: 401, code: "Unauthorized", message: "no credentials configured" });
  if (auth.type === "hmac") {
    if (!verifySignature(request.body, request.headers["x-symbiont-signature"], secret)) {
      throw new AppError({
        status: 401,
        code: "BadSignature",
        message: "X-Symbiont-Signature does not match the body",
      });
    }
    return;
  }
  const header = request.headers.authorization ?? "";
  const expected =
    auth.type === "bearer" ? `Bearer ${secret}` : `Basic ${Buffer.from(secret).toString("base64")}`;
  if (!safeEqual(header, expected))
    throw new AppError({ status: 401, code: "Unauthorized", message: "credentials do not match" });
}
