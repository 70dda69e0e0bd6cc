import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import {
  corporateBusName,
  daprConfigName,
  gatewayName,
  internalBusName,
  resiliencyName,
} from "../../dapr/names.js";
import { buildPubsubComponent, type DaprComponent } from "../../dapr/pubsub-component.js";
import type { KubeObject } from "../../kube/kube-object.js";
import {
  deadLetterTopics,
  busOf,
  liveModules,
  publishedTopics,
  subscribedTopics,
  type BusSide,
} from "../module-bus.js";
import { ecosystemLabels } from "../labels.js";

// The two buses as Dapr pub/sub Components, scoped so that core modules reach only the
// internal bus and everything else only the corporate bus, with the gateway on both
// (MISSION A3). Each module may publish and subscribe only the topics it declares (A4).

export function desiredBusComponents(
  ecosystem: Ecosystem,
  modules: readonly EcosystemModule[],
): DaprComponent[] {
  const name = ecosystem.metadata.name;
  const live = liveModules(modules);
  const component = (side: BusSide) => {
    const onBus = live.filter((m) => busOf(m) === side);
    return buildPubsubComponent({
      name: side === "internal" ? internalBusName(name) : corporateBusName(name),
      namespace: ecosystem.metadata.namespace,
      bus: side === "internal" ? ecosystem.spec.internalBus : ecosystem.spec.corporateBus,
      scopes: [gatewayName(name), ...onBus.map((m) => m.metadata.name)],
      // A sidecar publishes its subscriptions' dead letters itself, so those are allowed too.
      publishing: new Map(
        onBus.map((m) => [m.metadata.name, [...publishedTopics(m), ...deadLetterTopics(m)]]),
      ),
      subscribing: new Map(onBus.map((m) => [m.metadata.name, subscribedTopics(m)])),
    });
  };
  return [component("internal"), component("corporate")].map((c) => ({
    ...c,
    metadata: { ...c.metadata, labels: ecosystemLabels(name, "bus", c.metadata.name) },
  }));
}

/** Every app-id of the ecosystem: the gateway and each live module. */
export function ecosystemAppIds(
  ecosystem: Ecosystem,
  modules: readonly EcosystemModule[],
): string[] {
  return [
    gatewayName(ecosystem.metadata.name),
    ...liveModules(modules).map((m) => m.metadata.name),
  ].sort();
}

/** The delivery policy as a Dapr Resiliency: retries before a message goes to its dead-letter topic. */
export function desiredResiliency(
  ecosystem: Ecosystem,
  modules: readonly EcosystemModule[],
): KubeObject {
  const name = ecosystem.metadata.name;
  const { delivery } = ecosystem.spec;
  const inbound = { inbound: { retry: "delivery" } };
  return {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Resiliency",
    metadata: {
      name: resiliencyName(name),
      namespace: ecosystem.metadata.namespace,
      labels: ecosystemLabels(name, "resiliency", resiliencyName(name)),
    },
    spec: {
      policies: {
        retries: {
          delivery: {
            policy: "exponential",
            duration: delivery.backoff.initial,
            maxInterval: delivery.backoff.max,
            maxRetries: delivery.maxAttempts - 1,
          },
        },
      },
      targets: {
        components: { [internalBusName(name)]: inbound, [corporateBusName(name)]: inbound },
      },
    },
    scopes: ecosystemAppIds(ecosystem, modules),
  } as KubeObject;
}

/** The Dapr Configuration every sidecar of the ecosystem uses (dapr.io/config). */
export function desiredDaprConfiguration(ecosystem: Ecosystem): KubeObject {
  const name = ecosystem.metadata.name;
  const { security } = ecosystem.spec;
  return {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Configuration",
    metadata: {
      name: daprConfigName(name),
      namespace: ecosystem.metadata.namespace,
      labels: ecosystemLabels(name, "dapr-config", daprConfigName(name)),
    },
    spec: {
      mtls: {
        enabled: security.mtls,
        controlPlaneTrustDomain: security.daprControlPlane.trustDomain,
        sentryAddress: security.daprControlPlane.sentryAddress,
      },
      metric: { enabled: true },
      tracing: {
        samplingRate: security.tracing.samplingRate,
        ...(security.tracing.zipkinEndpoint
          ? { zipkin: { endpointAddress: security.tracing.zipkinEndpoint } }
          : {}),
      },
    },
  } as KubeObject;
}
