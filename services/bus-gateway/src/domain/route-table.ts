import {
  deadLetterRoute,
  deadLetterSuffix,
  deadLetterTopicOf,
  defaultRoute,
  gatewayName,
} from "@symbiont/contracts";
import type { GatewayFile, PartnerConfig, RouteConfig } from "../config.js";

// Which messages the gateway takes from which bus, and what it does with them.

export { deadLetterSuffix };

export interface SubscriptionSpec {
  pubsub: string;
  topic: string;
  route: string;
  /** Unset for dead-letter topics: their messages must be retried by the broker, never dropped. */
  deadLetterTopic?: string;
}

export class RouteTable {
  readonly exports = new Map<string, RouteConfig>();
  readonly imports = new Map<string, RouteConfig>();
  readonly consumers = new Map<string, PartnerConfig[]>();
  readonly partners = new Map<string, PartnerConfig>();

  constructor(readonly file: GatewayFile) {
    for (const route of file.routes)
      (route.direction === "export" ? this.exports : this.imports).set(route.topic, route);
    for (const partner of file.partners) {
      this.partners.set(partner.name, partner);
      if (partner.direction === "inbound") continue;
      for (const topic of partner.consumes)
        this.consumers.set(topic, [...(this.consumers.get(topic) ?? []), partner]);
    }
  }

  /** Does the gateway itself subscribe to `topic` on `pubsub`? */
  handles(pubsub: string, topic: string): boolean {
    if (pubsub === this.file.internalPubsub) return this.exports.has(topic);
    if (pubsub === this.file.corporatePubsub)
      return this.imports.has(topic) || this.consumers.has(topic);
    return false;
  }

  /** The route whose schema applies to `topic` (an export or import route of that topic). */
  schemaRouteFor(topic: string): RouteConfig | undefined {
    const route = this.exports.get(topic) ?? this.imports.get(topic);
    return route?.schema ? route : undefined;
  }

  /** The Dapr Subscriptions the gateway expects (the operator renders them). */
  subscriptions(): SubscriptionSpec[] {
    const topics: Array<[string, string]> = [
      ...[...this.exports.keys()].map((topic): [string, string] => [
        this.file.internalPubsub,
        topic,
      ]),
      ...[...new Set([...this.imports.keys(), ...this.consumers.keys()])].map(
        (topic): [string, string] => [this.file.corporatePubsub, topic],
      ),
    ];
    const gateway = gatewayName(this.file.ecosystem);
    return topics.flatMap(([pubsub, topic]) => [
      {
        pubsub,
        topic,
        route: defaultRoute(topic),
        deadLetterTopic: deadLetterTopicOf(topic, gateway),
      },
      {
        pubsub,
        topic: deadLetterTopicOf(topic, gateway),
        route: deadLetterRoute(gateway, topic),
      },
    ]);
  }
}
