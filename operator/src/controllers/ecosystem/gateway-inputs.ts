import type { BusRoute } from "../../api/bus-route.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { PartnerIntegration } from "../../api/partner-integration.types.js";
import {
  partnerBindingName,
  partnerSecretEnv,
  type PartnerInput,
  type RouteInput,
} from "@symbiont/contracts";
import { parseDurationMs } from "../shared/duration.js";
import type { SecretEnv } from "./desired-gateway.js";
import { deliveryConfig } from "./gateway-config.js";

// What the bus gateway is told about routes and partners: only routes the operator found
// valid (see route-verdicts.ts), partner delivery policies merged with the ecosystem's, and
// partner credentials as environment variable names filled from Secrets: the gateway signs
// (hmac) or authorises (bearer, basic) its deliveries and checks inbound webhooks with them.

export interface GatewayInputs {
  routes: RouteInput[];
  partners: PartnerInput[];
  gatewaySecretEnv: SecretEnv[];
}

export function gatewayInputs(
  ecosystem: Ecosystem,
  validRoutes: readonly BusRoute[],
  partners: readonly PartnerIntegration[],
): GatewayInputs {
  const defaults = deliveryConfig(ecosystem);
  const routes: RouteInput[] = validRoutes.map((route) => ({
    name: route.metadata.name,
    topic: route.spec.topic,
    direction: route.spec.direction,
    ...(route.spec.schema ? { schema: route.spec.schema } : {}),
    redact: (route.spec.redact ?? []).map((r) => ({ path: r.path, action: r.action })),
    sign: route.spec.sign,
  }));
  const live = partners.filter((p) => !p.metadata.deletionTimestamp);
  const partnerConfigs: PartnerInput[] = live.map((partner) => {
    const { spec } = partner;
    const delivery = spec.delivery ?? {};
    return {
      name: partner.metadata.name,
      category: spec.category,
      direction: spec.direction,
      binding: partnerBindingName(ecosystem.metadata.name, partner.metadata.name),
      consumes: [...(spec.consumes ?? [])].sort(),
      produces: [...(spec.produces ?? [])].sort(),
      delivery: {
        maxAttempts: delivery.maxAttempts ?? defaults.maxAttempts,
        backoffInitialMs: delivery.backoff?.initial
          ? parseDurationMs(delivery.backoff.initial)
          : defaults.backoffInitialMs,
        backoffMaxMs: delivery.backoff?.max
          ? parseDurationMs(delivery.backoff.max)
          : defaults.backoffMaxMs,
        bufferTtlMs: delivery.bufferTTL
          ? parseDurationMs(delivery.bufferTTL)
          : defaults.bufferTtlMs,
        // The binding's timeout bounds one attempt in the gateway too, which cancels it.
        ...(spec.binding?.timeout ? { timeoutMs: parseDurationMs(spec.binding.timeout) } : {}),
      },
      rateLimit: {
        requestsPerSecond: spec.rateLimit.requestsPerSecond,
        burst: spec.rateLimit.burst,
      },
      auth:
        spec.auth.type === "none"
          ? { type: "none" }
          : { type: spec.auth.type, secretEnv: partnerSecretEnv(partner.metadata.name) },
    };
  });
  const gatewaySecretEnv: SecretEnv[] = live
    .filter((p) => p.spec.auth.type !== "none" && p.spec.auth.secretRef)
    .map((p) => ({
      name: partnerSecretEnv(p.metadata.name),
      secretName: p.spec.auth.secretRef!.name,
      key: p.spec.auth.secretRef!.key,
    }));
  return { routes, partners: partnerConfigs, gatewaySecretEnv };
}
