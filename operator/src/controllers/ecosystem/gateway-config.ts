import {
  corporateBusName,
  internalBusName,
  signingKeyEnv,
  type GatewayFileInput,
  type PartnerInput,
  type RouteInput,
} from "@symbiont/contracts";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { parseDurationMs } from "../shared/duration.js";

// The bus gateway's configuration file (docs/gateway-config.md, its schema in
// @symbiont/contracts): what crosses the boundary between the buses and which partners
// receive what. Rendered into a ConfigMap; secrets only ever appear as the names of
// environment variables the Deployment fills from Secrets.

export function deliveryConfig(ecosystem: Ecosystem) {
  const delivery = ecosystem.spec.delivery;
  return {
    maxAttempts: delivery.maxAttempts,
    backoffInitialMs: parseDurationMs(delivery.backoff.initial),
    backoffMaxMs: parseDurationMs(delivery.backoff.max),
    bufferTtlMs: parseDurationMs(delivery.bufferTTL),
    deadLetter: delivery.deadLetter,
  } satisfies GatewayFileInput["delivery"];
}

export function buildGatewayConfig(
  ecosystem: Ecosystem,
  routes: readonly RouteInput[],
  partners: readonly PartnerInput[],
): GatewayFileInput {
  const name = ecosystem.metadata.name;
  return {
    ecosystem: name,
    namespace: ecosystem.metadata.namespace ?? "default",
    internalPubsub: internalBusName(name),
    corporatePubsub: corporateBusName(name),
    delivery: deliveryConfig(ecosystem),
    ...(ecosystem.spec.gateway?.ledgerRetention
      ? { ledgerRetentionMs: parseDurationMs(ecosystem.spec.gateway.ledgerRetention) }
      : {}),
    ...(ecosystem.spec.security.signingKeySecretRef ? { signing: { keyEnv: signingKeyEnv } } : {}),
    routes: [...routes].sort((a, b) => a.name.localeCompare(b.name)),
    partners: [...partners].sort((a, b) => a.name.localeCompare(b.name)),
  };
}
