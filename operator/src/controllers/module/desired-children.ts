import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { daprConfigName, moduleDaprConfigName, subscriptionName } from "../../dapr/names.js";
import { desiredDaprConfiguration, invocationTrustDomain } from "../shared/dapr-configuration.js";
import { corporateBusName, defaultRoute, internalBusName } from "@symbiont/contracts";
import type { ResourceType } from "../../kube/kube-client.js";
import type { V1EnvVar } from "@kubernetes/client-node";
import type { DaprConfiguration, DaprSubscription } from "../../dapr/dapr-resources.js";
import type {
  Deployment,
  PodDisruptionBudget,
  Service,
  ServiceAccount,
} from "../../kube/kube-models.js";
import { ecosystemLabels, moduleLabel, modulePodSelector, tierLabel } from "../shared/labels.js";
import { busOf, deadLetterTopicFor } from "../shared/module-bus.js";
import {
  compactResources,
  containerSecurityContext,
  daprAnnotations,
  httpProbes,
  podSecurityContext,
  templatePodMetadata,
  templatePodSpec,
} from "../shared/pod-template.js";

// Everything an EcosystemModule reconciles into: its own Deployment with its own Dapr app-id
// (MISSION A1), a Service, a ServiceAccount, a PodDisruptionBudget when it has more than one
// replica, and one Dapr Subscription per consumed topic, on its own bus, with a dead-letter
// topic so nothing Dapr gives up on vanishes.

export const moduleChildTypes: ResourceType[] = [
  { apiVersion: "v1", kind: "ServiceAccount" },
  { apiVersion: "v1", kind: "Service" },
  { apiVersion: "apps/v1", kind: "Deployment" },
  { apiVersion: "policy/v1", kind: "PodDisruptionBudget" },
  { apiVersion: "dapr.io/v2alpha1", kind: "Subscription" },
  { apiVersion: "dapr.io/v1alpha1", kind: "Configuration" },
];

export function moduleLabels(module: EcosystemModule): Record<string, string> {
  return {
    ...ecosystemLabels(module.spec.ecosystemRef.name, module.spec.type, module.metadata.name),
    [moduleLabel]: module.metadata.name,
    [tierLabel]: module.spec.tier,
  };
}

export type ModuleChild =
  | ServiceAccount
  | Deployment
  | Service
  | PodDisruptionBudget
  | DaprConfiguration
  | DaprSubscription;

export function desiredModuleChildren(
  module: EcosystemModule,
  ecosystem: Ecosystem,
): ModuleChild[] {
  const name = module.metadata.name;
  const namespace = module.metadata.namespace;
  const labels = moduleLabels(module);
  const eco = ecosystem.metadata.name;
  const pubsub = busOf(module) === "internal" ? internalBusName(eco) : corporateBusName(eco);
  const children: ModuleChild[] = [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name, namespace, labels },
      // Modules talk to the buses, never to the Kubernetes API.
      automountServiceAccountToken: false,
    },
    buildDeployment(module, ecosystem, labels, pubsub),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace, labels },
      spec: {
        selector: modulePodSelector(name),
        ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
      },
    },
  ];
  if (module.spec.replicas > 1) {
    children.push({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name, namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: modulePodSelector(name) } },
    });
  }
  const invocationConfig = moduleDaprConfiguration(module, ecosystem);
  if (invocationConfig) children.push(invocationConfig);
  for (const subscription of module.spec.subscribes ?? []) {
    children.push({
      apiVersion: "dapr.io/v2alpha1",
      kind: "Subscription",
      metadata: {
        name: subscriptionName(name, busOf(module), subscription.topic),
        namespace,
        labels,
      },
      spec: {
        pubsubname: pubsub,
        topic: subscription.topic,
        routes: { default: subscription.route ?? defaultRoute(subscription.topic) },
        deadLetterTopic: deadLetterTopicFor(module, subscription),
        ...(subscription.bulk
          ? {
              bulkSubscribe: {
                enabled: true,
                maxMessagesCount: subscription.bulk.maxMessages,
                maxAwaitDurationMs: subscription.bulk.maxAwaitMs,
              },
            }
          : {}),
      },
      scopes: [name],
    });
  }
  return children;
}

function buildDeployment(
  module: EcosystemModule,
  ecosystem: Ecosystem,
  labels: Record<string, string>,
  pubsub: string,
): Deployment {
  const { spec } = module;
  const name = module.metadata.name;
  const eco = ecosystem.metadata.name;
  const env: V1EnvVar[] = [
    { name: "PORT", value: String(spec.port) },
    { name: "SYMBIONT_ECOSYSTEM", value: eco },
    { name: "SYMBIONT_MODULE", value: name },
    { name: "SYMBIONT_APP_ID", value: name },
    {
      name: busOf(module) === "internal" ? "SYMBIONT_PUBSUB_INTERNAL" : "SYMBIONT_PUBSUB_CORPORATE",
      value: pubsub,
    },
    ...(spec.storage
      ? [
          {
            name: "DATABASE_URL",
            valueFrom: {
              secretKeyRef: { name: spec.storage.secretRef.name, key: spec.storage.secretRef.key },
            },
          },
        ]
      : []),
    ...(spec.env ?? []),
  ];
  const resources = compactResources(spec.resources);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: module.metadata.namespace, labels },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: modulePodSelector(name) },
      template: {
        metadata: templatePodMetadata(
          spec.template,
          labels,
          daprAnnotations(name, spec.port, daprConfigOf(module, eco)),
        ),
        spec: {
          serviceAccountName: name,
          ...templatePodSpec(spec.template),
          securityContext: { ...podSecurityContext, ...spec.template?.securityContext },
          containers: [
            {
              name: "module",
              image: spec.image,
              ports: [{ name: "http", containerPort: spec.port, protocol: "TCP" }],
              env,
              ...(spec.probes.enabled ? httpProbes("http") : {}),
              ...(resources ? { resources } : {}),
              securityContext: {
                ...containerSecurityContext,
                ...spec.template?.containerSecurityContext,
              },
            },
          ],
        },
      },
    },
  };
}

/** The Dapr Configuration the module's sidecar reads: the ecosystem's, or its own when it accepts invocations. */
function daprConfigOf(module: EcosystemModule, ecosystem: string): string {
  return module.spec.acceptsInvocationFrom?.length
    ? moduleDaprConfigName(module.metadata.name)
    : daprConfigName(ecosystem);
}

/**
 * The ecosystem's Dapr Configuration plus an allow policy per module named in
 * acceptsInvocationFrom (Dapr's access control is read by the called sidecar and keyed by
 * the caller's app-id, so the exception needs a Configuration of its own).
 */
export function moduleDaprConfiguration(
  module: EcosystemModule,
  ecosystem: Ecosystem,
): DaprConfiguration | undefined {
  const callers = module.spec.acceptsInvocationFrom ?? [];
  if (callers.length === 0) return undefined;
  const base = desiredDaprConfiguration(ecosystem);
  const name = moduleDaprConfigName(module.metadata.name);
  return {
    ...base,
    metadata: { ...base.metadata, name, labels: moduleLabels(module) },
    spec: {
      ...base.spec,
      accessControl: {
        defaultAction: "deny",
        ...base.spec.accessControl,
        policies: [...callers].sort().map((appId) => ({
          appId,
          defaultAction: "allow",
          trustDomain: invocationTrustDomain,
          namespace: module.metadata.namespace,
        })),
      },
    },
  };
}
