import type { BusRoute } from "../../api/bus-route.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { PartnerIntegration } from "../../api/partner-integration.types.js";
import {
  partnerBindingName,
  partnerPreviousSecretEnv,
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
        ...(delivery.concurrency ? { concurrency: delivery.concurrency } : {}),
      },
      rateLimit: {
        requestsPerSecond: spec.rateLimit.requestsPerSecond,
        burst: spec.rateLimit.burst,
      },
      auth: authConfig(partner),
    };
  });
  const gatewaySecretEnv: SecretEnv[] = live.flatMap((p) => {
    const { auth } = p.spec;
    if (auth.type === "none" || !auth.secretRef) return [];
    const current = {
      name: partnerSecretEnv(p.metadata.name),
      secretName: auth.secretRef.name,
      key: auth.secretRef.key,
    };
    const previous =
      auth.type === "hmac" && auth.previousSecretRef
        ? [
            {
              name: partnerPreviousSecretEnv(p.metadata.name),
              secretName: auth.previousSecretRef.name,
              key: auth.previousSecretRef.key,
            },
          ]
        : [];
    return [current, ...previous];
  });
  return { routes, partners: partnerConfigs, gatewaySecretEnv };
}

/** Credentials by variable name; an hmac partner's previous key and tolerance when set. */
function authConfig(partner: PartnerIntegration): NonNullable<PartnerInput["auth"]> {
  const { auth } = partner.spec;
  const secretEnv = partnerSecretEnv(partner.metadata.name);
  if (auth.type === "none") return { type: "none" };
  if (auth.type !== "hmac") return { type: auth.type, secretEnv };
  return {
    type: "hmac",
    secretEnv,
    ...(auth.previousSecretRef
      ? { previousSecretEnv: partnerPreviousSecretEnv(partner.metadata.name) }
      : {}),
    ...(auth.tolerance ? { toleranceMs: parseDurationMs(auth.tolerance) } : {}),
  };
}
