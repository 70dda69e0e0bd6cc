import { createHash } from "node:crypto";
import { gatewayName } from "@symbiont/contracts";

// Deterministic names of what only the operator renders (STYLE: deterministic child names);
// the names others find things by are in @symbiont/contracts.

export const resiliencyName = (ecosystem: string) => `${ecosystem}-resiliency`;
export const gatewayResiliencyName = (ecosystem: string) => `${ecosystem}-bus-gateway-resiliency`;
export const daprConfigName = (ecosystem: string) => `${ecosystem}-dapr-config`;
/** A module's own Dapr Configuration, when it accepts service invocation from others. */
export const moduleDaprConfigName = (module: string) => `${module}-module-dapr-config`;
export const coreIsolationPolicyName = (ecosystem: string) => `${ecosystem}-core-isolation`;
export const coreEgressPolicyName = (ecosystem: string) => `${ecosystem}-core-egress`;
/** A core module's egress to its own databases (spec.security.network.databaseOwnerLabel). */
export const moduleDatabasePolicyName = (ecosystem: string, module: string) =>
  `${ecosystem}-${module}-database`;
export const corporateEgressPolicyName = (ecosystem: string) => `${ecosystem}-corporate-egress`;
export const gatewayEgressPolicyName = (ecosystem: string) => `${ecosystem}-bus-gateway-egress`;

/**
 * A Subscription per (module, bus, topic): topics may hold dots and underscores, which a
 * name may not, so the readable part is sanitised and a short hash keeps names distinct.
 */
export function subscriptionName(module: string, bus: string, topic: string): string {
  const readable = topic
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 120);
  const hash = createHash("sha256").update(`${bus}/${topic}`).digest("hex").slice(0, 6);
  return `${module}-${readable}-${hash}`;
}

/** A short stable hash of rendered content, for pod-template annotations (rollout on change). */
export function contentHash(content: string): string {
  return createHash("sha256").update(content).digest("hex").slice(0, 16);
}

/** The bus gateway's Role and RoleBinding (status of PartnerIntegrations, Events). */
export const gatewayRoleName = (ecosystem: string) => gatewayName(ecosystem);
