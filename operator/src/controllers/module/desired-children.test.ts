import { describe, expect, it } from "vitest";
import { aModule, anEcosystem } from "../../testing/fixtures.js";
import { desiredEcosystemChildren } from "../ecosystem/desired-children.js";
import { desiredModuleChildren } from "./desired-children.js";
import { desiredModuleStatus } from "./desired-status.js";
import { defaultGatewayImage } from "../ecosystem/desired-gateway.js";

type Json = Record<string, unknown> & { kind: string; metadata: { name: string } };

const ecosystem = anEcosystem();
const now = new Date("2026-01-01T00:00:00Z");
const byKind = (children: ReturnType<typeof desiredModuleChildren>, kind: string) =>
  children.filter((c) => c.kind === kind) as unknown as Json[];

describe("desiredModuleChildren", () => {
  it.each([
    { replicas: 1, kinds: ["ServiceAccount", "Deployment", "Service"] },
    { replicas: 3, kinds: ["ServiceAccount", "Deployment", "Service", "PodDisruptionBudget"] },
    { replicas: 0, kinds: ["ServiceAccount", "Deployment", "Service"] },
  ])("with $replicas replica(s), then it renders $kinds", ({ replicas, kinds }) => {
    const children = desiredModuleChildren(aModule("crm", { replicas }), ecosystem);
    expect(children.map((c) => c.kind)).toEqual(kinds);
  });

  it("then the Deployment runs spec.replicas and selects what the status gives autoscalers", () => {
    const module = aModule("crm", { replicas: 4 });
    const deployment = desiredModuleChildren(module, ecosystem).find(
      (c) => c.kind === "Deployment",
    );
    const { selector } = desiredModuleStatus(module, { ecosystemFound: true, deployment }, now);
    expect(deployment?.spec?.replicas).toBe(4);
    expect(selector).toBe(
      Object.entries(deployment?.spec?.selector.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    );
    expect(deployment?.spec?.template.metadata?.labels).toMatchObject(
      deployment?.spec?.selector.matchLabels ?? { none: "" },
    );
  });

  it.each([
    {
      resources: { limits: { cpu: 1, memory: "256Mi" } },
      expected: { limits: { cpu: "1", memory: "256Mi" } },
    },
    {
      resources: { limits: {}, requests: { cpu: "100m" } },
      expected: { requests: { cpu: "100m" } },
    },
    { resources: { limits: {}, requests: {} }, expected: undefined },
  ])(
    "when a module asks for $resources, then its container gets $expected (quantities as the API server returns them, no empty maps)",
    ({ resources, expected }) => {
      const deployment = desiredModuleChildren(aModule("crm", { resources }), ecosystem).find(
        (c) => c.kind === "Deployment",
      );
      expect(deployment?.spec?.template.spec?.containers[0]?.resources).toEqual(expected);
    },
  );

  it("when called twice, then the objects are deep-equal (deterministic)", () => {
    const module = aModule("crm", {
      subscribes: [{ topic: "mdm.item.changed" }, { topic: "touchpoint.recorded" }],
    });
    expect(desiredModuleChildren(module, ecosystem)).toEqual(
      desiredModuleChildren(module, ecosystem),
    );
  });

  it("then the Deployment carries the Dapr annotations, its app-id and the ecosystem's configuration", () => {
    const [deployment] = byKind(
      desiredModuleChildren(aModule("crm", { port: 9000 }), ecosystem),
      "Deployment",
    );
    const template = (
      deployment as unknown as {
        spec: { template: { metadata: { annotations: Record<string, string> } } };
      }
    ).spec.template;
    expect(template.metadata.annotations).toMatchObject({
      "dapr.io/enabled": "true",
      "dapr.io/app-id": "crm",
      "dapr.io/app-port": "9000",
      "dapr.io/config": "acme-dapr-config",
      "dapr.io/enable-metrics": "true",
      // One delivery at a time: daprd mixes up concurrent failed calls to the app.
      "dapr.io/app-max-concurrency": "1",
    });
  });

  it("then every child is labelled with the ecosystem, the module and app.kubernetes.io labels", () => {
    const children = desiredModuleChildren(
      aModule("crm", { replicas: 2, subscribes: [{ topic: "a" }] }),
      ecosystem,
    );
    for (const child of children) {
      expect(child.metadata.labels).toMatchObject({
        "symbiont.dev/ecosystem": "acme",
        "symbiont.dev/module": "crm",
        "symbiont.dev/tier": "core",
        "app.kubernetes.io/name": "crm",
        "app.kubernetes.io/part-of": "acme",
      });
      expect(child.metadata.namespace).toBe("shop");
    }
  });

  it.each([
    { tier: "core" as const, env: "SYMBIONT_PUBSUB_INTERNAL", value: "acme-internal-bus" },
    {
      tier: "front-office" as const,
      env: "SYMBIONT_PUBSUB_CORPORATE",
      value: "acme-corporate-bus",
    },
    { tier: "servicing" as const, env: "SYMBIONT_PUBSUB_CORPORATE", value: "acme-corporate-bus" },
  ])("when the tier is $tier, then the module learns only the $env bus", ({ tier, env, value }) => {
    const [deployment] = byKind(
      desiredModuleChildren(aModule("m", { tier }), ecosystem),
      "Deployment",
    );
    const container = (
      deployment as unknown as {
        spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
      }
    ).spec.template.spec.containers[0]!;
    const names = container.env.map((e) => e.name);
    expect(container.env.find((e) => e.name === env)?.value).toBe(value);
    expect(names.filter((n) => n.startsWith("SYMBIONT_PUBSUB_"))).toEqual([env]);
  });

  it("when the module subscribes, then each topic becomes a Subscription on its bus with its own dead-letter topic (default <topic>.<module>.deadletter)", () => {
    const module = aModule("site", {
      tier: "front-office",
      subscribes: [
        { topic: "mdm.item.changed" },
        { topic: "order.paid", route: "/hooks/paid", deadLetterTopic: "order.failed.deadletter" },
      ],
    });
    const subscriptions = byKind(desiredModuleChildren(module, ecosystem), "Subscription");
    expect(subscriptions.map((s) => (s as unknown as { spec: unknown }).spec)).toEqual([
      {
        pubsubname: "acme-corporate-bus",
        topic: "mdm.item.changed",
        routes: { default: "/events/mdm.item.changed" },
        deadLetterTopic: "mdm.item.changed.site.deadletter",
      },
      {
        pubsubname: "acme-corporate-bus",
        topic: "order.paid",
        routes: { default: "/hooks/paid" },
        deadLetterTopic: "order.failed.deadletter",
      },
    ]);
    expect(subscriptions.map((s) => (s as unknown as { scopes: string[] }).scopes)).toEqual([
      ["site"],
      ["site"],
    ]);
    expect(new Set(subscriptions.map((s) => s.metadata.name)).size).toBe(2);
  });

  it("when a subscription asks for bulk deliveries, then its Subscription takes them and the others do not", () => {
    const module = aModule("analytics", {
      subscribes: [
        { topic: "touchpoint.recorded", bulk: { maxMessages: 50, maxAwaitMs: 20 } },
        { topic: "order.paid" },
      ],
    });
    const subscriptions = byKind(desiredModuleChildren(module, ecosystem), "Subscription");
    expect(
      subscriptions.map(
        (s) => (s as unknown as { spec: { bulkSubscribe?: unknown } }).spec.bulkSubscribe,
      ),
    ).toEqual([{ enabled: true, maxMessagesCount: 50, maxAwaitDurationMs: 20 }, undefined]);
  });

  it("when storage and env reference Secrets, then the container reads them by secretKeyRef (no value inlined)", () => {
    const module = aModule("crm", {
      storage: { secretRef: { name: "crm-db", key: "url" } },
      env: [
        { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "crm-api", key: "token" } } },
        { name: "MODE", value: "strict" },
      ],
    });
    const [deployment] = byKind(desiredModuleChildren(module, ecosystem), "Deployment");
    const env = (
      deployment as unknown as {
        spec: { template: { spec: { containers: { env: unknown[] }[] } } };
      }
    ).spec.template.spec.containers[0]!.env;
    expect(env).toContainEqual({
      name: "DATABASE_URL",
      valueFrom: { secretKeyRef: { name: "crm-db", key: "url" } },
    });
    expect(env).toContainEqual({
      name: "API_TOKEN",
      valueFrom: { secretKeyRef: { name: "crm-api", key: "token" } },
    });
    expect(env).toContainEqual({ name: "MODE", value: "strict" });
  });

  it("when probes are disabled, then the container has none", () => {
    const [deployment] = byKind(
      desiredModuleChildren(aModule("x", { probes: { enabled: false } }), ecosystem),
      "Deployment",
    );
    expect(JSON.stringify(deployment)).not.toContain("readinessProbe");
  });

  it("then service invocation is denied by the ecosystem's Dapr Configuration, and a module without exceptions reads it", () => {
    const config = desiredEcosystemChildren(ecosystem, {
      modules: [],
      routes: [],
      partners: [],
      gatewaySecretEnv: [],
      gatewayImage: defaultGatewayImage(),
    }).find((c) => c.kind === "Configuration") as unknown as Json & {
      spec: { accessControl: unknown };
    };
    expect(config.spec.accessControl).toEqual({ defaultAction: "deny", trustDomain: "public" });
    const children = desiredModuleChildren(aModule("crm"), ecosystem);
    expect(byKind(children, "Configuration")).toEqual([]);
    const [deployment] = byKind(children, "Deployment") as unknown as Array<{
      spec: { template: { metadata: { annotations: Record<string, string> } } };
    }>;
    expect(deployment!.spec.template.metadata.annotations["dapr.io/config"]).toBe(
      config.metadata.name,
    );
  });

  it("when a module accepts invocation from named modules, then its sidecar reads its own Configuration allowing only them", () => {
    const children = desiredModuleChildren(
      aModule("crm", { acceptsInvocationFrom: ["processes", "mdm"] }),
      ecosystem,
    );
    const [config] = byKind(children, "Configuration") as unknown as Array<
      Json & { spec: { accessControl: unknown; mtls: unknown } }
    >;
    expect(config!.metadata.name).toBe("crm-module-dapr-config");
    expect(config!.spec.accessControl).toEqual({
      defaultAction: "deny",
      trustDomain: "public",
      policies: [
        { appId: "mdm", defaultAction: "allow", trustDomain: "public", namespace: "shop" },
        { appId: "processes", defaultAction: "allow", trustDomain: "public", namespace: "shop" },
      ],
    });
    const [deployment] = byKind(children, "Deployment") as unknown as Array<{
      spec: { template: { metadata: { annotations: Record<string, string> } } };
    }>;
    expect(deployment!.spec.template.metadata.annotations["dapr.io/config"]).toBe(
      "crm-module-dapr-config",
    );
  });

  it("when the module has a template, then its pods get the pull secrets, placement, priority, labels and security overrides, under the operator's own settings", () => {
    type Pod = {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: Record<string, unknown> & {
        securityContext: Record<string, unknown>;
        containers: { securityContext: Record<string, unknown> }[];
      };
    };
    const podOf = (module: ReturnType<typeof aModule>) =>
      (
        byKind(desiredModuleChildren(module, ecosystem), "Deployment")[0] as unknown as {
          spec: { template: Pod };
        }
      ).spec.template;
    const toleration = {
      key: "dedicated",
      operator: "Equal",
      value: "symbiont",
      effect: "NoSchedule",
    };
    const spread = {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "ScheduleAnyway",
    };
    const pod = podOf(
      aModule("crm", {
        template: {
          metadata: { labels: { team: "crm" }, annotations: { "example.com/owner": "crm" } },
          imagePullSecrets: [{ name: "registry" }],
          nodeSelector: { "kubernetes.io/os": "linux" },
          tolerations: [toleration],
          affinity: { nodeAffinity: {} },
          topologySpreadConstraints: [spread],
          priorityClassName: "business-critical",
          securityContext: { runAsUser: 10001, fsGroup: 10001 },
          containerSecurityContext: { readOnlyRootFilesystem: false },
        },
      }),
    );
    expect(pod.spec).toMatchObject({
      serviceAccountName: "crm",
      imagePullSecrets: [{ name: "registry" }],
      nodeSelector: { "kubernetes.io/os": "linux" },
      tolerations: [toleration],
      affinity: { nodeAffinity: {} },
      topologySpreadConstraints: [spread],
      priorityClassName: "business-critical",
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
        runAsUser: 10001,
        fsGroup: 10001,
      },
    });
    expect(pod.spec.containers[0]!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(pod.metadata.labels).toMatchObject({ team: "crm", "symbiont.dev/module": "crm" });
    expect(pod.metadata.annotations).toMatchObject({
      "example.com/owner": "crm",
      "dapr.io/app-id": "crm",
    });
    // Without a template the pod is what it was: no new fields, so no rollout on upgrade.
    expect(Object.keys(podOf(aModule("crm")).spec).sort()).toEqual([
      "containers",
      "securityContext",
      "serviceAccountName",
    ]);
  });
});
