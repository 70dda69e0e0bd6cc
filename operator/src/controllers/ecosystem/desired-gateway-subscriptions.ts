import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { subscriptionName } from "../../dapr/names.js";
import {
  type PartnerInput,
  type RouteInput,
  corporateBusName,
  deadLetterRoute,
  deadLetterTopicOf,
  defaultRoute,
  gatewayName,
  internalBusName,
} from "@symbiont/contracts";
import type { DaprSubscription } from "../../dapr/dapr-resources.js";
import { busOf, deadLetterTopicFor, liveModules } from "../shared/module-bus.js";
import { ecosystemLabels } from "../shared/labels.js";

// The bus gateway's Dapr Subscriptions: export routes on the internal bus; import routes and
// partner deliveries on the corporate bus; and every dead-letter topic of both buses (its own
// and each module's), so what Dapr gives up on (DROP answers, exhausted retries, expired
// events) lands in the ledger instead of vanishing. A dead-letter subscription's route names
// whose dead letters they are and of which topic (`/deadletters/<app-id>/<topic>`): the
// gateway records a module's dead letter under that module and processes its own again.
// Dead-letter subscriptions have no dead letter of their own: the broker keeps retrying them.
// When delivery is not ordered, every one takes bulk deliveries (gateway.bulkSubscribe): the
// gateway answers each entry and records them in one write; with ordered delivery the broker
// hands over one message at a time, which a bulk subscription would only delay.

type Side = "internal" | "corporate";

interface GatewayTopic {
  side: Side;
  topic: string;
  route: string;
  /** Unset for a dead-letter topic. */
  deadLetterTopic?: string;
}

export function desiredGatewaySubscriptions(
  ecosystem: Ecosystem,
  modules: readonly EcosystemModule[],
  routes: readonly Pick<RouteInput, "topic" | "direction">[],
  partners: readonly Pick<PartnerInput, "direction" | "consumes">[],
): DaprSubscription[] {
  const eco = ecosystem.metadata.name;
  const gateway = gatewayName(eco);
  const { bulkSubscribe } = ecosystem.spec.gateway;
  const bulk =
    bulkSubscribe.enabled && !ecosystem.spec.delivery.ordered
      ? {
          bulkSubscribe: {
            enabled: true,
            maxMessagesCount: bulkSubscribe.maxMessages,
            maxAwaitDurationMs: bulkSubscribe.maxAwaitMs,
          },
        }
      : {};
  const topics = new Map<string, GatewayTopic>();
  // The first declaration of a topic wins: the gateway's own topics come first, and a
  // dead-letter topic two modules share is recorded under the first of them.
  const add = (entry: GatewayTopic) => {
    const key = `${entry.side}/${entry.topic}`;
    if (!topics.has(key)) topics.set(key, entry);
  };
  const serve = (side: Side, topic: string) => {
    const deadLetterTopic = deadLetterTopicOf(topic, gateway);
    add({ side, topic, route: defaultRoute(topic), deadLetterTopic });
    add({ side, topic: deadLetterTopic, route: deadLetterRoute(gateway, topic) });
  };

  for (const route of routes)
    serve(route.direction === "export" ? "internal" : "corporate", route.topic);
  for (const partner of partners) {
    if (partner.direction === "inbound") continue;
    for (const topic of partner.consumes ?? []) serve("corporate", topic);
  }
  for (const module of liveModules(modules)) {
    for (const subscription of module.spec.subscribes ?? []) {
      add({
        side: busOf(module),
        topic: deadLetterTopicFor(module, subscription),
        route: deadLetterRoute(module.metadata.name, subscription.topic),
      });
    }
  }

  return [...topics.values()]
    .sort((a, b) => `${a.side}/${a.topic}`.localeCompare(`${b.side}/${b.topic}`))
    .map(({ side, topic, route, deadLetterTopic }): DaprSubscription => {
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
          routes: { default: route },
          ...(deadLetterTopic ? { deadLetterTopic } : {}),
          ...bulk,
        },
        scopes: [gateway],
      };
    });
}
