import type { BusSpec } from "../api/ecosystem.types.js";
import type { DaprComponent, DaprMetadataItem } from "./dapr-resources.js";

// A bus as a Dapr pub/sub Component. Connection settings come only from the user's Secret
// (secretKeyRef per key); the rest is Symbiont's tuned defaults, which bus.settings override:
// - RabbitMQ is not durable by default in Dapr: durable queues, persistent delivery mode
//   and publisher confirms, or a broker restart loses messages (MISSION B2/B4);
// - Redis Streams redelivers a crashed consumer's messages only after redeliverInterval /
//   processingTimeout (60 s / 15 s by default): tighter values recover faster;
// - every topic a Redis Streams subscriber reads holds one pooled connection in a blocking
//   read, and Dapr's pool has 10 per CPU: a sidecar reading more topics (the bus gateway
//   reads every export and dead-letter topic of its bus) times out subscribing. The pool is
//   sized from the topics the component names;
// - Redis Streams hands each message to one of `concurrency` workers, and Dapr's bulk
//   subscriber holds every message's worker until its whole delivery is answered: a bulk
//   delivery never carries more messages than the sidecar has workers. When delivery is not
//   ordered, the workers are raised to the largest bulk delivery a Subscription on the bus
//   asks for (the gateway's gateway.bulkSubscribe, a module's subscribes[].bulk);
// - NATS JetStream calls a subscriber's handler one message at a time unless told
//   `concurrencyMode: parallel` (the component's own default is single, unlike RabbitMQ's):
//   an unordered bus would still deliver in order, one by one, and a bulk delivery would
//   never carry more than one message. Parallel when delivery is not ordered; the consumer's
//   max ack pending bounds the messages in hand.

export const daprPubsubType: Record<BusSpec["type"], string> = {
  redis: "pubsub.redis",
  rabbitmq: "pubsub.rabbitmq",
  "nats-jetstream": "pubsub.jetstream",
  kafka: "pubsub.kafka",
  "in-memory": "pubsub.in-memory",
};

export const defaultSecretKeys: Record<BusSpec["type"], string[]> = {
  redis: ["redisHost", "redisPassword"],
  rabbitmq: ["connectionString"],
  "nats-jetstream": ["natsURL"],
  kafka: ["brokers"],
  "in-memory": [],
};

const tunedSettings: Record<BusSpec["type"], Record<string, string>> = {
  redis: {
    redeliverInterval: "5s",
    processingTimeout: "20s",
    queueDepth: "100",
    concurrency: "10",
  },
  rabbitmq: {
    durable: "true",
    deletedWhenUnused: "false",
    autoAck: "false",
    deliveryMode: "2",
    publisherConfirm: "true",
    requeueInFailure: "true",
    prefetchCount: "100",
    reconnectWait: "3s",
  },
  "nats-jetstream": { deliverPolicy: "all", ackPolicy: "explicit", ackWait: "30s" },
  kafka: { authType: "none", initialOffset: "oldest" },
  "in-memory": {},
};

/** One message at a time per subscriber: what keeps a topic in publish order. */
const orderedSettings: Record<BusSpec["type"], Record<string, string>> = {
  redis: { concurrency: "1" },
  rabbitmq: { concurrencyMode: "single" },
  "nats-jetstream": { maxAckPending: "1" },
  kafka: {},
  "in-memory": {},
};

export interface PubsubComponentInput {
  name: string;
  /** Deliver in publish order (Ecosystem spec.delivery.ordered). */
  ordered: boolean;
  namespace?: string;
  bus: BusSpec;
  /** App-ids allowed to load the component. */
  scopes: string[];
  /** app-id -> topics it may publish / subscribe (Dapr publishingScopes / subscriptionScopes). */
  publishing: Map<string, string[]>;
  subscribing: Map<string, string[]>;
  /**
   * Topics read on this bus by a sidecar the scopes do not list (the bus gateway's
   * Subscriptions): each holds a Redis connection too.
   */
  alsoRead?: readonly string[];
  /** The most messages one bulk delivery of a Subscription on this bus may carry. */
  largestBulkDelivery?: number;
}

export function buildPubsubComponent(input: PubsubComponentInput): DaprComponent {
  const { bus } = input;
  const metadata: DaprMetadataItem[] = [];
  const secretName = bus.connection?.secretRef.name;
  if (secretName) {
    const keys = bus.connection?.secretKeys?.length
      ? bus.connection.secretKeys
      : defaultSecretKeys[bus.type];
    for (const key of keys) metadata.push({ name: key, secretKeyRef: { name: secretName, key } });
  }
  const settings: Record<string, string | undefined> = {
    ...tunedSettings[bus.type],
    ...(bus.type === "redis" ? { poolSize: String(redisPoolSize(input)) } : {}),
    ...(input.ordered ? orderedSettings[bus.type] : unorderedSettings(input)),
    ...bus.settings,
  };
  for (const name of Object.keys(settings).sort()) {
    const value = settings[name];
    if (value !== undefined) metadata.push({ name, value });
  }
  const publishingScopes = renderTopicScopes(input.publishing);
  const subscriptionScopes = renderTopicScopes(input.subscribing);
  if (publishingScopes) metadata.push({ name: "publishingScopes", value: publishingScopes });
  if (subscriptionScopes) metadata.push({ name: "subscriptionScopes", value: subscriptionScopes });
  return {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Component",
    metadata: { name: input.name, namespace: input.namespace },
    spec: { type: daprPubsubType[bus.type], version: "v1", metadata },
    scopes: [...input.scopes].sort(),
  };
}

/** Unordered buses: messages handled side by side, enough of them to fill a bulk delivery. */
function unorderedSettings(input: PubsubComponentInput): Record<string, string> {
  if (input.bus.type === "nats-jetstream") return { concurrencyMode: "parallel" };
  const workers = Number(tunedSettings.redis.concurrency);
  const largest = input.largestBulkDelivery ?? 0;
  return input.bus.type === "redis" && largest > workers ? { concurrency: String(largest) } : {};
}

/** One connection per topic a sidecar may read, and room for publishing and redelivery. */
export function redisPoolSize(
  input: Pick<PubsubComponentInput, "publishing" | "subscribing" | "alsoRead">,
): number {
  const topics = new Set([
    ...[...input.publishing.values(), ...input.subscribing.values()].flat(),
    ...(input.alsoRead ?? []),
  ]);
  return Math.max(20, topics.size + 20);
}

/** "app1=t1,t2;app2=" : an app listed with no topics may use none. Sorted: deterministic. */
export function renderTopicScopes(scopes: Map<string, string[]>): string {
  return [...scopes.keys()]
    .sort()
    .map((app) => `${app}=${[...new Set(scopes.get(app))].sort().join(",")}`)
    .join(";");
}
