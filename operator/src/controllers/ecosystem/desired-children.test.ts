import { describe, expect, it } from "vitest";
import type { DaprComponent, DaprSubscription } from "../../dapr/dapr-resources.js";
import type { KubeObject } from "../../kube/kube-object.js";
import type { Deployment, Role } from "../../kube/kube-models.js";
import { aModule, anEcosystem } from "../../testing/fixtures.js";
import { desiredEcosystemChildren, type EcosystemContext } from "./desired-children.js";
import { gatewayAppTokenSecret } from "./gateway-app-token.js";
import { defaultGatewayImage } from "./desired-gateway.js";

const context = (
  modules = [
    aModule("crm", {
      publishes: [{ topic: "customer.created" }],
      subscribes: [{ topic: "mdm.item.changed" }],
    }),
    aModule("mdm", { publishes: [{ topic: "mdm.item.changed" }] }),
    aModule("site", { tier: "front-office", subscribes: [{ topic: "catalog.published" }] }),
  ],
): EcosystemContext => ({
  modules,
  routes: [],
  partners: [],
  gatewaySecretEnv: [],
  gatewayImage: defaultGatewayImage(),
});
const find = (children: KubeObject[], kind: string, name: string) =>
  children.find((c) => c.kind === kind && c.metadata.name === name) as
    (KubeObject & Record<string, unknown>) | undefined;
const metadataOf = (component: DaprComponent) =>
  Object.fromEntries(component.spec.metadata.map((m) => [m.name, m.value ?? m.secretKeyRef]));

describe("desiredEcosystemChildren", () => {
  it("then the internal bus is scoped to the core modules and the gateway, the corporate bus to the rest and the gateway", () => {
    const children = desiredEcosystemChildren(anEcosystem(), context());
    const internal = find(children, "Component", "acme-internal-bus") as unknown as DaprComponent;
    const corporate = find(children, "Component", "acme-corporate-bus") as unknown as DaprComponent;
    expect(internal.scopes).toEqual(["acme-bus-gateway", "crm", "mdm"]);
    expect(corporate.scopes).toEqual(["acme-bus-gateway", "site"]);
    expect(internal.spec.type).toBe("pubsub.redis");
    expect(corporate.spec.type).toBe("pubsub.rabbitmq");
  });

  it("then each module may publish only its declared topics and its dead letters, and subscribe only its declared topics", () => {
    const children = desiredEcosystemChildren(anEcosystem(), context());
    const internal = metadataOf(
      find(children, "Component", "acme-internal-bus") as unknown as DaprComponent,
    );
    expect(internal.publishingScopes).toBe(
      "crm=customer.created,mdm.item.changed.crm.deadletter;mdm=mdm.item.changed",
    );
    expect(internal.subscriptionScopes).toBe("crm=mdm.item.changed;mdm=");
  });

  it("when a module is being deleted, then it leaves the scopes at once", () => {
    const leaving = {
      ...aModule("crm"),
      metadata: { ...aModule("crm").metadata, deletionTimestamp: "2026-01-01T00:00:00Z" },
    };
    const children = desiredEcosystemChildren(anEcosystem(), context([leaving, aModule("mdm")]));
    expect(
      (find(children, "Component", "acme-internal-bus") as unknown as DaprComponent).scopes,
    ).toEqual(["acme-bus-gateway", "mdm"]);
  });

  it("then connection settings come only from the Secret, and RabbitMQ and Redis get their durable, tuned settings", () => {
    const children = desiredEcosystemChildren(anEcosystem(), context());
    const internal = metadataOf(
      find(children, "Component", "acme-internal-bus") as unknown as DaprComponent,
    );
    const corporate = metadataOf(
      find(children, "Component", "acme-corporate-bus") as unknown as DaprComponent,
    );
    expect(internal.redisHost).toEqual({ name: "internal-bus", key: "redisHost" });
    expect(internal.redisPassword).toEqual({ name: "internal-bus", key: "redisPassword" });
    expect(internal).toMatchObject({ redeliverInterval: "5s", processingTimeout: "20s" });
    expect(corporate.connectionString).toEqual({ name: "corporate-bus", key: "connectionString" });
    expect(corporate).toMatchObject({
      durable: "true",
      deliveryMode: "2",
      publisherConfirm: "true",
      autoAck: "false",
    });
  });

  it.each([
    { ordered: true, redis: "1", rabbitmq: "single" },
    { ordered: false, redis: "100", rabbitmq: undefined },
  ])(
    "when delivery.ordered is $ordered, then one message at a time per subscriber: $ordered (Redis workers $redis)",
    ({ ordered, redis, rabbitmq }) => {
      const children = desiredEcosystemChildren(
        anEcosystem("acme", { delivery: { ordered } }),
        context(),
      );
      const internal = metadataOf(
        find(children, "Component", "acme-internal-bus") as unknown as DaprComponent,
      );
      const corporate = metadataOf(
        find(children, "Component", "acme-corporate-bus") as unknown as DaprComponent,
      );
      expect(internal.concurrency).toBe(redis);
      expect(corporate.concurrencyMode).toBe(rabbitmq);
    },
  );

  it("when the gateway reads more topics of a Redis bus than the modules name, then the pool has a connection for each of its Subscriptions", () => {
    // Each Subscription holds a Redis connection in a blocking read: a pool smaller than the
    // gateway's Subscriptions leaves its publishes waiting ("connection pool timeout").
    const ecosystem = anEcosystem("acme", { corporateBus: { type: "redis" } });
    const partners = Array.from({ length: 30 }, (_, i) => ({
      name: `p${i}`,
      direction: "outbound" as const,
      consumes: [`topic.${i}`],
    }));
    const children = desiredEcosystemChildren(ecosystem, {
      ...context([]),
      partners: partners as never,
    });
    const gatewayReads = children.filter(
      (c) =>
        c.kind === "Subscription" &&
        (c as unknown as { spec: { pubsubname: string } }).spec.pubsubname === "acme-corporate-bus",
    ).length;
    expect(gatewayReads).toBe(60); // each topic and its dead-letter topic
    const corporate = metadataOf(
      find(children, "Component", "acme-corporate-bus") as unknown as DaprComponent,
    );
    expect(Number(corporate.poolSize)).toBeGreaterThanOrEqual(gatewayReads + 20);
  });

  it.each([
    {
      ordered: false,
      enabled: true,
      bulk: { enabled: true, maxMessagesCount: 50, maxAwaitDurationMs: 20 },
    },
    { ordered: true, enabled: true, bulk: undefined },
    { ordered: false, enabled: false, bulk: undefined },
  ])(
    "when delivery.ordered is $ordered and gateway.bulkSubscribe.enabled is $enabled, then the gateway's Subscriptions take bulk deliveries: $bulk",
    ({ ordered, enabled, bulk }) => {
      const ecosystem = anEcosystem("acme", {
        delivery: { ordered },
        gateway: { bulkSubscribe: { enabled, maxMessages: 50, maxAwaitMs: 20 } },
      });
      const partners = [{ name: "sms", direction: "outbound" as const, consumes: ["sms.send"] }];
      const subscriptions = desiredEcosystemChildren(ecosystem, {
        ...context([]),
        partners: partners as never,
      }).filter((c) => c.kind === "Subscription") as unknown as DaprSubscription[];
      // The topic and its dead-letter topic, both.
      expect(subscriptions.map((s) => s.spec.topic)).toEqual(
        expect.arrayContaining(["sms.send", "sms.send.acme-bus-gateway.deadletter"]),
      );
      for (const subscription of subscriptions)
        expect(subscription.spec.bulkSubscribe).toEqual(bulk);
    },
  );

  it.each([
    { ordered: false, settings: { concurrencyMode: "parallel", maxAckPending: undefined } },
    { ordered: true, settings: { concurrencyMode: undefined, maxAckPending: "1" } },
  ])(
    "when a NATS JetStream bus's delivery.ordered is $ordered, then its subscribers take messages $settings",
    ({ ordered, settings }) => {
      // JetStream's component handles one message at a time unless told parallel: an
      // unordered bus would still be one by one, and a bulk delivery would hold one message.
      const ecosystem = anEcosystem("acme", {
        internalBus: {
          type: "nats-jetstream",
          connection: { secretRef: { name: "nats" } },
        },
        delivery: { ordered },
      });
      const internal = metadataOf(
        find(
          desiredEcosystemChildren(ecosystem, context()),
          "Component",
          "acme-internal-bus",
        ) as unknown as DaprComponent,
      );
      expect({
        concurrencyMode: internal.concurrencyMode,
        maxAckPending: internal.maxAckPending,
      }).toEqual(settings);
    },
  );

  describe("Redis consumer workers when delivery is not ordered", () => {
    // Dapr's bulk subscriber holds each message's worker until its delivery is answered: a
    // bulk delivery carries at most as many messages as the sidecar has workers.
    const redisBuses = { corporateBus: { type: "redis" as const } };
    const workers = (
      spec: Parameters<typeof anEcosystem>[1],
      // By default the gateway reads both buses: the modules' dead-letter topics.
      modules?: ReturnType<typeof aModule>[],
    ) => {
      const children = desiredEcosystemChildren(anEcosystem("acme", spec), context(modules));
      const of = (name: string) =>
        metadataOf(find(children, "Component", name) as unknown as DaprComponent).concurrency;
      return { internal: of("acme-internal-bus"), corporate: of("acme-corporate-bus") };
    };

    it.each([
      {
        enabled: true,
        maxMessages: 60,
        expected: "60",
        what: "both buses it reads have 60 workers",
      },
      { enabled: false, maxMessages: 60, expected: "10", what: "they keep the tuned 10 workers" },
      { enabled: true, maxMessages: 4, expected: "10", what: "10 stay (fewer would not do)" },
    ])(
      "when the gateway's bulk deliveries are $enabled, up to $maxMessages messages, then $what",
      ({ enabled, maxMessages, expected }) => {
        expect(
          workers({
            ...redisBuses,
            delivery: { ordered: false },
            gateway: { bulkSubscribe: { enabled, maxMessages, maxAwaitMs: 1 } },
          }),
        ).toEqual({ internal: expected, corporate: expected });
      },
    );

    it("when only a front-office module takes bulk deliveries of 40, then the corporate bus alone has 40 workers", () => {
      const site = aModule("site", {
        tier: "front-office",
        subscribes: [{ topic: "catalog.published", bulk: { maxMessages: 40, maxAwaitMs: 5 } }],
      });
      expect(
        workers(
          {
            ...redisBuses,
            delivery: { ordered: false },
            gateway: { bulkSubscribe: { enabled: false, maxMessages: 100, maxAwaitMs: 1 } },
          },
          [site, aModule("crm", { subscribes: [{ topic: "mdm.item.changed" }] })],
        ),
      ).toEqual({ internal: "10", corporate: "40" });
    });

    it("when the gateway reads no topic of the buses, then they keep the tuned 10 workers", () => {
      expect(workers({ ...redisBuses, delivery: { ordered: false } }, [])).toEqual({
        internal: "10",
        corporate: "10",
      });
    });

    it("when the corporate bus is RabbitMQ, then it gets no worker setting (its consumers take as many as the prefetch allows)", () => {
      expect(workers({ delivery: { ordered: false } })).toEqual({
        internal: "100",
        corporate: undefined,
      });
    });

    it("when delivery is ordered, then one worker, bulk or not", () => {
      expect(workers({ ...redisBuses, delivery: { ordered: true } })).toEqual({
        internal: "1",
        corporate: "1",
      });
    });

    it("when the bus settings name the workers, then the user's value wins", () => {
      expect(
        workers({
          corporateBus: {
            type: "redis",
            connection: { secretRef: { name: "c" } },
            settings: { concurrency: "25" },
          },
          delivery: { ordered: false },
        }),
      ).toEqual({ internal: "100", corporate: "25" });
    });
  });

  it("when settings override a tuned value, then the user's value wins", () => {
    const ecosystem = anEcosystem("acme", {
      corporateBus: {
        type: "rabbitmq",
        connection: { secretRef: { name: "c" } },
        settings: { prefetchCount: "5" },
      },
    });
    const corporate = metadataOf(
      find(
        desiredEcosystemChildren(ecosystem, context()),
        "Component",
        "acme-corporate-bus",
      ) as unknown as DaprComponent,
    );
    expect(corporate.prefetchCount).toBe("5");
  });

  it("then the delivery policy becomes a Resiliency retry on both buses for the modules", () => {
    const ecosystem = anEcosystem("acme", {
      delivery: { maxAttempts: 4, backoff: { initial: "2s", max: "1m" } },
    });
    const resiliency = find(
      desiredEcosystemChildren(ecosystem, context()),
      "Resiliency",
      "acme-resiliency",
    );
    expect(resiliency).toMatchObject({
      spec: {
        policies: {
          retries: {
            delivery: { policy: "exponential", duration: "2s", maxInterval: "1m", maxRetries: 3 },
          },
        },
        targets: {
          components: {
            "acme-internal-bus": { inbound: { retry: "delivery" } },
            "acme-corporate-bus": { inbound: { retry: "delivery" } },
          },
        },
      },
      scopes: ["crm", "mdm", "site"],
    });
    // The gateway retries until it has taken (and ledgered) the message: nothing is given up.
    expect(
      find(
        desiredEcosystemChildren(ecosystem, context()),
        "Resiliency",
        "acme-bus-gateway-resiliency",
      ),
    ).toMatchObject({
      spec: { policies: { retries: { delivery: { maxRetries: -1 } } } },
      scopes: ["acme-bus-gateway"],
    });
  });

  it("when no module names the ecosystem, then no module Resiliency (an empty scope list would cover the gateway)", () => {
    const children = desiredEcosystemChildren(anEcosystem(), context([]));
    expect(children.filter((c) => c.kind === "Resiliency").map((c) => c.metadata.name)).toEqual([
      "acme-bus-gateway-resiliency",
    ]);
  });

  it("then the gateway is a Dapr-enabled Deployment on both buses with its configuration mounted", () => {
    const children = desiredEcosystemChildren(anEcosystem(), context());
    const deployment = find(children, "Deployment", "acme-bus-gateway") as unknown as {
      spec: {
        template: {
          metadata: { annotations: Record<string, string> };
          spec: { containers: { env: { name: string; value?: string }[] }[] };
        };
      };
    };
    expect(deployment.spec.template.metadata.annotations["dapr.io/app-id"]).toBe(
      "acme-bus-gateway",
    );
    // One delivery at a time: daprd mixes up concurrent failed calls to the app.
    expect(deployment.spec.template.metadata.annotations["dapr.io/app-max-concurrency"]).toBe("1");
    const env = Object.fromEntries(
      deployment.spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]),
    );
    expect(env).toMatchObject({
      SYMBIONT_PUBSUB_INTERNAL: "acme-internal-bus",
      SYMBIONT_PUBSUB_CORPORATE: "acme-corporate-bus",
    });
    const config = find(children, "ConfigMap", "acme-bus-gateway") as unknown as {
      data: Record<string, string>;
    };
    expect(JSON.parse(config.data["config.json"]!)).toMatchObject({
      ecosystem: "acme",
      namespace: "shop",
      routes: [],
      partners: [],
    });
  });

  it("then the gateway's sidecar presents the generated app token, and the gateway reads the same Secret", () => {
    const children = desiredEcosystemChildren(anEcosystem(), context());
    const deployment = find(children, "Deployment", "acme-bus-gateway") as unknown as {
      spec: {
        template: {
          metadata: { annotations: Record<string, string> };
          spec: { containers: { env: { name: string; valueFrom?: unknown }[] }[] };
        };
      };
    };
    expect(deployment.spec.template.metadata.annotations["dapr.io/app-token-secret"]).toBe(
      "acme-bus-gateway-app-token",
    );
    expect(
      deployment.spec.template.spec.containers[0]!.env.find((e) => e.name === "APP_API_TOKEN"),
    ).toEqual({
      name: "APP_API_TOKEN",
      valueFrom: { secretKeyRef: { name: "acme-bus-gateway-app-token", key: "token" } },
    });
    // The Secret itself is created once by the reconciler, never rendered (it would change).
    expect(children.filter((c) => (c.kind as string) === "Secret")).toEqual([]);
    const secret = gatewayAppTokenSecret(anEcosystem()) as KubeObject & {
      stringData: { token: string };
    };
    expect(secret.metadata.name).toBe("acme-bus-gateway-app-token");
    expect(secret.stringData.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((gatewayAppTokenSecret(anEcosystem()) as typeof secret).stringData.token).not.toBe(
      secret.stringData.token,
    );
  });

  it("when the gateway configuration changes, then the pod template's config hash changes (a rollout), and not otherwise", () => {
    const hash = (maxAttempts: number) => {
      const children = desiredEcosystemChildren(
        anEcosystem("acme", { delivery: { maxAttempts } }),
        context(),
      );
      return (
        find(children, "Deployment", "acme-bus-gateway") as unknown as {
          spec: { template: { metadata: { annotations: Record<string, string> } } };
        }
      ).spec.template.metadata.annotations["symbiont.dev/config-hash"];
    };
    expect(hash(3)).toBe(hash(3));
    expect(hash(3)).not.toBe(hash(4));
  });

  it("then a NetworkPolicy lets core pods accept traffic only from core pods and the gateway; off when disabled", () => {
    const policy = find(
      desiredEcosystemChildren(anEcosystem(), context()),
      "NetworkPolicy",
      "acme-core-isolation",
    );
    expect(policy).toMatchObject({
      spec: {
        podSelector: {
          matchLabels: { "symbiont.dev/ecosystem": "acme", "symbiont.dev/tier": "core" },
        },
        policyTypes: ["Ingress"],
      },
    });
    const off = desiredEcosystemChildren(
      anEcosystem("acme", { security: { networkPolicies: false } }),
      context(),
    );
    expect(off.some((c) => c.kind === "NetworkPolicy")).toBe(false);
  });

  it("when the Ecosystem names no gateway image, then the operator's is used; a named one wins", () => {
    const imageOf = (children: { kind: string; metadata: { name: string } }[]) =>
      (
        find(children as never, "Deployment", "acme-bus-gateway") as unknown as {
          spec: { template: { spec: { containers: { image: string }[] } } };
        }
      ).spec.template.spec.containers[0]!.image;
    const operators = {
      ...context(),
      gatewayImage: "mirror.example:5000/symbiont-dev/bus-gateway:0.2.0",
    };
    expect(imageOf(desiredEcosystemChildren(anEcosystem(), operators))).toBe(
      "mirror.example:5000/symbiont-dev/bus-gateway:0.2.0",
    );
    const pinned = anEcosystem("acme", { gateway: { image: "example/gateway:1.0.0" } });
    expect(imageOf(desiredEcosystemChildren(pinned, operators))).toBe("example/gateway:1.0.0");
    expect(defaultGatewayImage("1.2.3")).toBe("ghcr.io/symbiont-dev/bus-gateway:1.2.3");
  });

  it("when delivery is ordered, then the gateway is replaced by a Recreate rollout (two pods would be two consumers) and has no PodDisruptionBudget", () => {
    const children = desiredEcosystemChildren(anEcosystem(), context());
    const deployment = find(children, "Deployment", "acme-bus-gateway");
    expect(deployment).toMatchObject({ spec: { replicas: 1, strategy: { type: "Recreate" } } });
    expect(children.filter((child) => child.kind === "PodDisruptionBudget")).toEqual([]);
    // One pod only: it carries messages without a Lease (nor the Kubernetes API).
    const env = (deployment as unknown as Deployment).spec!.template.spec!.containers[0]!.env!;
    expect(env.map((variable) => variable.name)).not.toContain("SYMBIONT_GATEWAY_LEASE");
    const role = find(children, "Role", "acme-bus-gateway") as unknown as Role;
    expect(role.rules!.flatMap((rule) => rule.resources)).not.toContain("leases");
  });

  it("when delivery is not ordered and the gateway has two replicas, then a new pod starts before an old one stops, a PodDisruptionBudget keeps one, and the replicas elect the active one on their own Lease", () => {
    const ecosystem = anEcosystem("acme", {
      gateway: { replicas: 2 },
      delivery: { ordered: false },
    });
    const children = desiredEcosystemChildren(ecosystem, context());
    const deployment = find(children, "Deployment", "acme-bus-gateway") as unknown as Deployment;
    expect(deployment.spec).toMatchObject({
      replicas: 2,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    expect(find(children, "PodDisruptionBudget", "acme-bus-gateway")).toMatchObject({
      spec: { maxUnavailable: 1, selector: deployment.spec!.selector },
    });
    const env = deployment.spec!.template.spec!.containers[0]!.env!;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: "SYMBIONT_GATEWAY_LEASE", value: "acme-bus-gateway" },
        { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
      ]),
    );
    const role = find(children, "Role", "acme-bus-gateway") as unknown as Role;
    expect(role.rules).toEqual(
      expect.arrayContaining([
        {
          apiGroups: ["coordination.k8s.io"],
          resources: ["leases"],
          resourceNames: ["acme-bus-gateway"],
          verbs: ["get", "update"],
        },
      ]),
    );
  });

  it("when called twice with the same input, then the output is deep-equal", () => {
    expect(desiredEcosystemChildren(anEcosystem(), context())).toEqual(
      desiredEcosystemChildren(anEcosystem(), context()),
    );
  });

  it("when an in-memory bus is used, then it needs no Secret", () => {
    const ecosystem = anEcosystem("dev", {
      internalBus: { type: "in-memory" },
      corporateBus: { type: "in-memory" },
    });
    const component = find(
      desiredEcosystemChildren(ecosystem, context()),
      "Component",
      "dev-internal-bus",
    ) as unknown as DaprComponent;
    expect(component.spec.type).toBe("pubsub.in-memory");
    expect(component.spec.metadata.some((m) => m.secretKeyRef)).toBe(false);
  });

  it("when the gateway has a template, then its pods get the pull secrets and placement, under the operator's own annotations", () => {
    const ecosystem = anEcosystem("acme", {
      gateway: {
        template: {
          metadata: { annotations: { "example.com/team": "platform" } },
          imagePullSecrets: [{ name: "mirror" }],
          nodeSelector: { pool: "system" },
          priorityClassName: "system-cluster-critical",
        },
      },
    });
    const deployment = find(
      desiredEcosystemChildren(ecosystem, context()),
      "Deployment",
      "acme-bus-gateway",
    ) as unknown as {
      spec: {
        template: {
          metadata: { annotations: Record<string, string> };
          spec: Record<string, unknown>;
        };
      };
    };
    expect(deployment.spec.template.spec).toMatchObject({
      serviceAccountName: "acme-bus-gateway",
      imagePullSecrets: [{ name: "mirror" }],
      nodeSelector: { pool: "system" },
      priorityClassName: "system-cluster-critical",
      securityContext: { runAsNonRoot: true },
    });
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      "example.com/team": "platform",
      "dapr.io/app-id": "acme-bus-gateway",
    });
  });
});
