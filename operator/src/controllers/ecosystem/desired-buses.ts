import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { gatewayResiliencyName, resiliencyName } from "../../dapr/names.js";
import { corporateBusName, gatewayName, internalBusName } from "@symbiont/contracts";
import type { DaprComponent, DaprResiliency, DaprSubscription } from "../../dapr/dapr-resources.js";
import { buildPubsubComponent } from "../../dapr/pubsub-component.js";
import {
  deadLetterTopics,
  busOf,
  liveModules,
  publishedTopics,
  subscribedTopics,
  type BusSide,
} from "../shared/module-bus.js";
import { ecosystemLabels } from "../shared/labels.js";

export { desiredDaprConfiguration, invocationTrustDomain } from "../shared/dapr-configuration.js";

// The two buses as Dapr pub/sub Components, scoped so that core modules reach only the
// internal bus and everything else only the corporate bus, with the gateway on both
// (MISSION A3). Each module may publish and subscribe only the topics it declares (A4).

export function desiredBusComponents(
  ecosystem: Ecosystem,
  modules: readonly EcosystemModule[],
  /** The bus gateway's Subscriptions: the sidecar that reads the most topics of each bus. */
  gatewaySubscriptions: readonly DaprSubscription[] = [],
): DaprComponent[] {
  const name = ecosystem.metadata.name;
  const live = liveModules(modules);
  const component = (side: BusSide) => {
    const onBus = live.filter((m) => busOf(m) === side);
    const busName = side === "internal" ? internalBusName(name) : corporateBusName(name);
    return buildPubsubComponent({
      name: busName,
      namespace: ecosystem.metadata.namespace,
      bus: side === "internal" ? ecosystem.spec.internalBus : ecosystem.spec.corporateBus,
      ordered: ecosystem.spec.delivery.ordered,
      scopes: [gatewayName(name), ...onBus.map((m) => m.metadata.name)],
      // A sidecar publishes its subscriptions' dead letters itself, so those are allowed too.
      publishing: new Map(
        onBus.map((m) => [m.metadata.name, [...publishedTopics(m), ...deadLetterTopics(m)]]),
      ),
      subscribing: new Map(onBus.map((m) => [m.metadata.name, subscribedTopics(m)])),
      alsoRead: gatewaySubscriptions
        .filter((s) => s.spec.pubsubname === busName)
        .map((s) => s.spec.topic),
      largestBulkDelivery: Math.max(
        0,
        ...gatewaySubscriptions
          .filter((s) => s.spec.pubsubname === busName && s.spec.bulkSubscribe?.enabled)
          .map((s) => s.spec.bulkSubscribe?.maxMessagesCount ?? 0),
        ...onBus.flatMap((m) => (m.spec.subscribes ?? []).map((s) => s.bulk?.maxMessages ?? 0)),
      ),
    });
  };
  return [component("internal"), component("corporate")].map((c) => ({
    ...c,
    metadata: { ...c.metadata, labels: ecosystemLabels(name, "bus", c.metadata.name) },
  }));
}

/**
 * The delivery policy as Dapr Resiliencies. Modules: the ecosystem's retries before a message
 * goes to its dead-letter topic. The bus gateway: retries until it takes the message, because
 * what it refuses to take it has not yet written to its ledger (and Dapr's Redis pub/sub
 * acknowledges a message whose retries ran out), so it must not be given up on.
 */
export function desiredResiliencies(
  ecosystem: Ecosystem,
  modules: readonly EcosystemModule[],
): DaprResiliency[] {
  const name = ecosystem.metadata.name;
  const { delivery } = ecosystem.spec;
  const resiliency = (
    objectName: string,
    maxRetries: number,
    scopes: string[],
  ): DaprResiliency => ({
    apiVersion: "dapr.io/v1alpha1",
    kind: "Resiliency",
    metadata: {
      name: objectName,
      namespace: ecosystem.metadata.namespace,
      labels: ecosystemLabels(name, "resiliency", objectName),
    },
    spec: {
      policies: {
        retries: {
          delivery: {
            policy: "exponential",
            duration: delivery.backoff.initial,
            maxInterval: delivery.backoff.max,
            maxRetries,
          },
        },
      },
      targets: {
        components: {
          [internalBusName(name)]: { inbound: { retry: "delivery" } },
          [corporateBusName(name)]: { inbound: { retry: "delivery" } },
        },
      },
    },
    scopes,
  });
  const moduleIds = liveModules(modules)
    .map((m) => m.metadata.name)
    .sort();
  return [
    // An empty scope list would mean every app, the gateway included: no modules, no object.
    ...(moduleIds.length
      ? [resiliency(resiliencyName(name), delivery.maxAttempts - 1, moduleIds)]
      : []),
    resiliency(gatewayResiliencyName(name), -1, [gatewayName(name)]),
  ];
}
