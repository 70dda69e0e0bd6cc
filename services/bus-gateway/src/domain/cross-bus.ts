import type { RouteConfig } from "../config.js";
import type { OutgoingCloudEvent } from "../events/cloud-event.js";
import { canonicalJson } from "./canonical-json.js";
import type { GatewayContext } from "./gateway-context.js";
import { redactPayload } from "./redact-payload.js";
import { signPayload } from "./sign-payload.js";

// A BusRoute crossing: export (internal -> corporate: validate, redact, sign) or import
// (corporate -> internal: validate). The message is published before its ledger record is
// written and acknowledged after: a crash in between republishes it under the same id,
// which consumers (the gateway's own partner intake included) recognise.

export type CrossResult =
  { result: "forwarded" } | { result: "duplicate" } | { result: "invalid"; error: string };

export async function crossBus(
  context: GatewayContext,
  route: RouteConfig,
  message: { id: string; type?: string; payload: unknown },
): Promise<CrossResult> {
  const { ledger } = context;
  if (ledger.get(`${route.direction}:${route.name}:${message.id}`)) return { result: "duplicate" };
  const forwarded = await forwardAcross(context, route, message);
  const [from, to] = busesOf(context, route);
  if (!forwarded.ok) {
    await ledger.accept([
      {
        messageId: message.id,
        kind: route.direction,
        target: route.name,
        topic: route.topic,
        pubsub: from,
        state: "dead-lettered",
        lastError: forwarded.error,
        payload: JSON.stringify(message.payload),
      },
    ]);
    return { result: "invalid", error: forwarded.error };
  }
  const [written] = await ledger.accept([
    {
      messageId: message.id,
      kind: route.direction,
      target: route.name,
      topic: route.topic,
      pubsub: to,
      state: "delivered",
    },
  ]);
  return written === "duplicate" ? { result: "duplicate" } : { result: "forwarded" };
}

function busesOf(context: GatewayContext, route: RouteConfig): [string, string] {
  const { internalPubsub, corporatePubsub } = context.file;
  return route.direction === "export"
    ? [internalPubsub, corporatePubsub]
    : [corporatePubsub, internalPubsub];
}

/** Validates, transforms and publishes to the other bus; writes nothing to the ledger. */
export async function forwardAcross(
  context: GatewayContext,
  route: RouteConfig,
  message: { id: string; type?: string; payload: unknown },
): Promise<{ ok: true } | { ok: false; error: string }> {
  const validation = context.validator.validate(route.name, message.payload);
  if (!validation.ok) return validation;
  const data =
    route.direction === "export" ? redactPayload(message.payload, route.redact) : message.payload;
  const event: OutgoingCloudEvent = {
    specversion: "1.0",
    id: message.id,
    source: context.appId,
    type: message.type ?? route.topic,
    datacontenttype: "application/json",
    data,
    symbiontroute: route.name,
  };
  if (route.direction === "export" && route.sign && context.signingKey) {
    event.symbiontsignature = signPayload(canonicalJson(data), context.signingKey);
  }
  await context.bus.publish(busesOf(context, route)[1], route.topic, event);
  return { ok: true };
}
