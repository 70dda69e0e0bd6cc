import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { subscriptionName } from "../../dapr/names.js";
import {
  type PartnerInput,
  type RouteInput,
  corporateBusName,
  defaultDeadLetterTopic,
  defaultRoute,
  gatewayName,
  internalBusName,
} from "@symbiont/contracts";
import type { DaprSubscription } from "../../dapr/dapr-resources.js";
import { busOf, liveModules } from "../shared/module-bus.js";
import { ecosystemLabels } from "../shared/labels.js";

// The bus gateway's Dapr Subscriptions: export routes on the internal bus; import routes and
// partner deliveries on the corporate bus; and every dead-letter topic of both buses (its own
// and the modules'), so what Dapr gives up on (DROP answers, exhausted retries, expired
// events) lands in the ledger instead of vanishing. Dead-letter subscriptions have no dead
// letter of their own: the broker keeps retrying them.

type Side = "internal" | "corporate";

export function desiredGatewaySubscriptions(
  ecosystem: Ecosystem,
  modules: readonly EcosystemModule[],
  routes: readonly Pick<RouteInput, "topic" | "direction">[],
  partners: readonly Pick<PartnerInput, "direction" | "consumes">[],
): DaprSubscription[] {
  const eco = ecosystem.metadata.name;
  const gateway = gatewayName(eco);
  const topics = new Map<string, { side: Side; topic: string; deadLetter: boolean }>();
  const add = (side: Side, topic: string, deadLetter: boolean) =>
    topics.set(`${side}/${topic}`, { side, topic, deadLetter });

  for (const route of routes) {
    const side: Side = route.direction === "export" ? "internal" : "corporate";
    add(side, route.topic, false);
    add(side, defaultDeadLetterTopic(route.topic), true);
  }
  for (const partner of partners) {
    if (partner.direction === "inbound") continue;
    for (const topic of partner.consumes ?? []) {
      add("corporate", topic, false);
      add("corporate", defaultDeadLetterTopic(topic), true);
    }
  }
  for (const module of liveModules(modules)) {
    for (const subscription of module.spec.subscribes ?? []) {
      add(
        busOf(module),
        subscription.deadLetterTopic ?? defaultDeadLetterTopic(subscription.topic),
        true,
      );
    }
  }

  return [...topics.values()]
    .sort((a, b) => `${a.side}/${a.topic}`.localeCompare(`${b.side}/${b.topic}`))
    .map(({ side, topic, deadLetter }): DaprSubscription => {
      const name = subscriptionName(gateway, side, topic);
      return {
        apiVersion: "dapr.io/v2alpha1",
        kind: "Subscription",
        metadata: {
          name,
          namespace: ecosystem.metadata.namespace,
          labels: ecosystemLabels(eco, "bus-gateway", gateway),
        },
        spec: {
          pubsubname: side === "internal" ? internalBusName(eco) : corporateBusName(eco),
          topic,
          routes: { default: defaultRoute(topic) },
          ...(deadLetter ? {} : { deadLetterTopic: defaultDeadLetterTopic(topic) }),
        },
        scopes: [gateway],
      };
    });
}
