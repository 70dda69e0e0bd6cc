import type { RouteConfig } from "../config.js";
import type { OutgoingCloudEvent } from "../events/cloud-event.js";
import { canonicalJson } from "./canonical-json.js";
import type { GatewayContext } from "./gateway-context.js";
import { entryKey } from "./ledger-entry.js";
import { redactPayload } from "./redact-payload.js";
import { signPayload } from "./sign-payload.js";

// A BusRoute crossing: export (internal -> corporate: validate, redact, sign) or import
// (corporate -> internal: validate). The message is acknowledged to Dapr only once it is
// both published and recorded; a crash before that republishes it under the same id,
// which consumers (the gateway's own partner intake included) recognise.

export type CrossResult =
  { result: "forwarded" } | { result: "duplicate" } | { result: "invalid"; error: string };

export async function crossBus(
  context: GatewayContext,
  route: RouteConfig,
  message: { id: string; type?: string; payload: unknown },
): Promise<CrossResult> {
  const { ledger } = context;
  const known = ledger.get(entryKey(route.direction, route.name, route.topic, message.id));
  if (known?.state === "dead-lettered") return { result: "duplicate" };
  const [from, to] = busesOf(context, route);
  const prepared = prepareCrossing(context, route, message);
  if (!prepared.ok) {
    await ledger.accept([
      {
        messageId: message.id,
        kind: route.direction,
        target: route.name,
        topic: route.topic,
        pubsub: from,
        state: "dead-lettered",
        lastError: prepared.error,
        payload: JSON.stringify(message.payload),
      },
    ]);
    return { result: "invalid", error: prepared.error };
  }
  // Published first, recorded after: the record says `delivered` only for what the other bus
  // took. The message is acknowledged only when both are done; a crash in between means a
  // redelivery, which is published again whatever the ledger says (consumers recognise the
  // id), so nothing can be recorded as crossed and then be lost.
  await context.bus.publish(to, route.topic, prepared.event);
  if (known) return { result: "duplicate" };
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
  const prepared = prepareCrossing(context, route, message);
  if (!prepared.ok) return prepared;
  await context.bus.publish(busesOf(context, route)[1], route.topic, prepared.event);
  return { ok: true };
}

/** Validation, redaction and signing: the CloudEvent to publish, or why not. */
function prepareCrossing(
  context: GatewayContext,
  route: RouteConfig,
  message: { id: string; type?: string; payload: unknown },
): { ok: true; event: OutgoingCloudEvent } | { ok: false; error: string } {
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
  return { ok: true, event };
}
