import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { ResourceType } from "../../kube/kube-client.js";
import type {
  DaprComponent,
  DaprConfiguration,
  DaprResiliency,
  DaprSubscription,
} from "../../dapr/dapr-resources.js";
import type {
  ConfigMap,
  Deployment,
  NetworkPolicy,
  PodDisruptionBudget,
  Role,
  RoleBinding,
  Service,
  ServiceAccount,
} from "../../kube/kube-models.js";
import {
  desiredBusComponents,
  desiredDaprConfiguration,
  desiredResiliencies,
} from "./desired-buses.js";
import { desiredGateway, type SecretEnv } from "./desired-gateway.js";
import { desiredGatewaySubscriptions } from "./desired-gateway-subscriptions.js";
import { desiredNetworkPolicies } from "./desired-network-policies.js";
import type { PartnerInput, RouteInput } from "@symbiont/contracts";
import { buildGatewayConfig } from "./gateway-config.js";

// Everything an Ecosystem reconciles into (DESIGN "The API"), as a pure function of the
// Ecosystem and what names it: same input, same objects, in the same order.

export interface EcosystemContext {
  modules: readonly EcosystemModule[];
  routes: readonly RouteInput[];
  partners: readonly PartnerInput[];
  /** Secrets the gateway needs as environment variables (partner credentials). */
  gatewaySecretEnv: readonly SecretEnv[];
  /** The operator's gateway image, for an Ecosystem that names none. */
  gatewayImage: string;
}

/**
 * Kinds an Ecosystem rendered in earlier versions and no longer does: still owned, so an
 * upgrade prunes them.
 */
export const retiredEcosystemChildTypes: ResourceType[] = [];

/** The kinds an Ecosystem may own; anything of these kinds it owns but no longer wants is pruned. */
export const ecosystemChildTypes: ResourceType[] = [
  { apiVersion: "dapr.io/v1alpha1", kind: "Component" },
  { apiVersion: "dapr.io/v1alpha1", kind: "Resiliency" },
  { apiVersion: "dapr.io/v1alpha1", kind: "Configuration" },
  { apiVersion: "v1", kind: "ServiceAccount" },
  { apiVersion: "v1", kind: "ConfigMap" },
  { apiVersion: "v1", kind: "Service" },
  { apiVersion: "apps/v1", kind: "Deployment" },
  // The gateway's, when it runs more than one replica.
  { apiVersion: "policy/v1", kind: "PodDisruptionBudget" },
  ...retiredEcosystemChildTypes,
  { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" },
  { apiVersion: "dapr.io/v2alpha1", kind: "Subscription" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding" },
];

export type EcosystemChild =
  | DaprComponent
  | DaprResiliency
  | DaprConfiguration
  | ServiceAccount
  | Role
  | RoleBinding
  | ConfigMap
  | Deployment
  | Service
  | PodDisruptionBudget
  | NetworkPolicy
  | DaprSubscription;

export function desiredEcosystemChildren(
  ecosystem: Ecosystem,
  context: EcosystemContext,
): EcosystemChild[] {
  const config = buildGatewayConfig(ecosystem, context.routes, context.partners);
  const gatewaySubscriptions = desiredGatewaySubscriptions(
    ecosystem,
    context.modules,
    context.routes,
    context.partners,
  );
  return [
    ...desiredBusComponents(ecosystem, context.modules, gatewaySubscriptions),
    ...desiredResiliencies(ecosystem, context.modules),
    desiredDaprConfiguration(ecosystem),
    ...desiredGateway(ecosystem, config, [...context.gatewaySecretEnv], context.gatewayImage),
    ...desiredNetworkPolicies(ecosystem, context.modules),
    ...gatewaySubscriptions,
  ];
}
