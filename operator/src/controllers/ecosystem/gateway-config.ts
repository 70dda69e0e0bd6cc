import type { Ecosystem } from "../../api/ecosystem.types.js";
import { corporateBusName, internalBusName } from "../../dapr/names.js";
import { parseDurationMs } from "../duration.js";

// The bus gateway's configuration file (docs/gateway-config.md): what crosses the boundary
// between the buses and which partners receive what. Rendered into a ConfigMap; secrets
// only ever appear as the names of environment variables the Deployment fills from Secrets.

export interface DeliveryConfig {
  maxAttempts: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  bufferTtlMs: number;
  deadLetter: boolean;
}

export interface RouteConfig {
  name: string;
  topic: string;
  direction: "export" | "import";
  schema?: unknown;
  redact: { path: string; action: "remove" | "mask" }[];
  sign: boolean;
}

export interface PartnerConfig {
  name: string;
  category: string;
  direction: "outbound" | "inbound" | "both";
  binding: string;
  consumes: string[];
  produces: string[];
  delivery: Omit<DeliveryConfig, "deadLetter">;
  rateLimit: { requestsPerSecond: number; burst: number };
  auth: { type: "hmac" | "bearer" | "basic" | "none"; secretEnv?: string };
}

export interface GatewayConfig {
  ecosystem: string;
  namespace: string;
  internalPubsub: string;
  corporatePubsub: string;
  delivery: DeliveryConfig;
  signing?: { keyEnv: string };
  routes: RouteConfig[];
  partners: PartnerConfig[];
}

export const signingKeyEnv = "SYMBIONT_SIGNING_KEY";

export function deliveryConfig(ecosystem: Ecosystem): DeliveryConfig {
  const delivery = ecosystem.spec.delivery;
  return {
    maxAttempts: delivery.maxAttempts,
    backoffInitialMs: parseDurationMs(delivery.backoff.initial),
    backoffMaxMs: parseDurationMs(delivery.backoff.max),
    bufferTtlMs: parseDurationMs(delivery.bufferTTL),
    deadLetter: delivery.deadLetter,
  };
}

export function buildGatewayConfig(
  ecosystem: Ecosystem,
  routes: RouteConfig[],
  partners: PartnerConfig[],
): GatewayConfig {
  const name = ecosystem.metadata.name;
  return {
    ecosystem: name,
    namespace: ecosystem.metadata.namespace ?? "default",
    internalPubsub: internalBusName(name),
    corporatePubsub: corporateBusName(name),
    delivery: deliveryConfig(ecosystem),
    ...(ecosystem.spec.security.signingKeySecretRef ? { signing: { keyEnv: signingKeyEnv } } : {}),
    routes: [...routes].sort((a, b) => a.name.localeCompare(b.name)),
    partners: [...partners].sort((a, b) => a.name.localeCompare(b.name)),
  };
}
