import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { applyManifests } from "../../dev/harness/apply-manifests.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";
import { startOperatorProcess, type OperatorProcess } from "../../dev/stack/operator-process.js";

// The operator against the real control plane: what a platform engineer sees after
// `kubectl apply` — children in the API server, Dapr scopes, status conditions, Events.

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const kc = testKubeConfig();
const client = new KubeClient(kc);
let namespace: string;
let operator: OperatorProcess;

const get = (kind: string, apiVersion: string, name: string) =>
  client.get<Obj>({ apiVersion, kind, namespace, name });
const module = (name: string) => get("EcosystemModule", "symbiont.dev/v1alpha1", name);
const ready = (object: Obj | undefined) =>
  object?.status?.conditions?.find((c: { type: string }) => c.type === "Ready") as
    { status: string; reason: string; message: string } | undefined;

const ecosystem = (name: string) => ({
  apiVersion: "symbiont.dev/v1alpha1",
  kind: "Ecosystem",
  metadata: { name },
  spec: {
    internalBus: { type: "redis", connection: { secretRef: { name: "internal-bus" } } },
    corporateBus: { type: "rabbitmq", connection: { secretRef: { name: "corporate-bus" } } },
  },
});
const emod = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: "symbiont.dev/v1alpha1",
  kind: "EcosystemModule",
  metadata: { name },
  spec: { ecosystemRef: { name: "acme" }, image: `ghcr.io/symbiont-dev/${name}:0.1.0`, ...spec },
});
/** Subscriptions of modules (the gateway's own subscribe to dead-letter topics). */
const ofModules = (subscription: Obj) => !subscription.scopes?.includes("acme-bus-gateway");
const apply = (...objects: object[]) =>
  applyManifests(kc, objects as KubeObject[], "test-user", namespace);

beforeAll(async () => {
  namespace = await createTestNamespace(kc, "op");
  operator = await startOperatorProcess({
    kubeconfigPath: inject("kubeconfigPath"),
    namespace,
    dir: join(inject("controlPlaneDir"), `operator-${namespace}`),
  });
  await apply(
    ecosystem("acme"),
    emod("mdm", { tier: "core", type: "mdm", publishes: [{ topic: "mdm.item.changed" }] }),
    emod("crm", {
      tier: "core",
      type: "crm",
      replicas: 2,
      publishes: [{ topic: "customer.created" }],
      subscribes: [{ topic: "mdm.item.changed" }],
    }),
    emod("site", {
      tier: "front-office",
      type: "site",
      subscribes: [{ topic: "catalog.published" }],
    }),
  );
});

afterAll(async () => {
  await operator?.stop();
  client.close();
});

describe("the operator reconciling an ecosystem", () => {
  it("when modules are applied, then each gets a Dapr-enabled Deployment, a Service and a ServiceAccount", async () => {
    const deployment = await eventually(() => get("Deployment", "apps/v1", "crm"), Boolean, {
      what: "Deployment crm",
    });
    expect(deployment!.spec.template.metadata.annotations).toMatchObject({
      "dapr.io/enabled": "true",
      "dapr.io/app-id": "crm",
      "dapr.io/app-port": "8080",
      "dapr.io/config": "acme-dapr-config",
      "dapr.io/enable-metrics": "true",
      "dapr.io/app-max-concurrency": "1",
    });
    expect(deployment!.metadata.labels).toMatchObject({
      "symbiont.dev/ecosystem": "acme",
      "app.kubernetes.io/managed-by": "symbiont-operator",
    });
    expect(deployment!.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "EcosystemModule", name: "crm", controller: true }),
    ]);
    await eventually(() => get("Service", "v1", "crm"), Boolean, { what: "Service crm" });
    await eventually(() => get("ServiceAccount", "v1", "crm"), Boolean, {
      what: "ServiceAccount crm",
    });
    await eventually(() => get("PodDisruptionBudget", "policy/v1", "crm"), Boolean, {
      what: "PDB crm",
    });
    const subscriptions = await eventually(
      () =>
        client.list<Obj>({ apiVersion: "dapr.io/v2alpha1", kind: "Subscription" }, { namespace }),
      (list) => list.items.filter(ofModules).length === 2,
      { what: "2 Subscriptions" },
    );
    expect(
      subscriptions.items
        .filter(ofModules)
        .map((s) => [s.spec.pubsubname, s.spec.topic, s.spec.deadLetterTopic]),
    ).toEqual(
      expect.arrayContaining([
        ["acme-internal-bus", "mdm.item.changed", "mdm.item.changed.crm.deadletter"],
        ["acme-corporate-bus", "catalog.published", "catalog.published.site.deadletter"],
      ]),
    );
  });

  it("then the buses are scoped: core modules + gateway on the internal bus, the rest + gateway on the corporate bus", async () => {
    // The operator reconciles the Ecosystem again as each module appears: both buses settle.
    const [internal, corporate] = await eventually(
      () =>
        Promise.all([
          get("Component", "dapr.io/v1alpha1", "acme-internal-bus"),
          get("Component", "dapr.io/v1alpha1", "acme-corporate-bus"),
        ]),
      ([i, c]) => i?.scopes?.length === 3 && c?.scopes?.length === 2,
      { what: "both buses scoped to their modules" },
    );
    expect(internal!.scopes).toEqual(["acme-bus-gateway", "crm", "mdm"]);
    expect(corporate!.scopes).toEqual(["acme-bus-gateway", "site"]);
    expect(await get("Resiliency", "dapr.io/v1alpha1", "acme-resiliency")).toBeDefined();
    expect(await get("Configuration", "dapr.io/v1alpha1", "acme-dapr-config")).toBeDefined();
    // The API server accepts every rendered policy (ingress isolation and the egress allow-lists).
    for (const policy of [
      "acme-core-isolation",
      "acme-core-egress",
      "acme-corporate-egress",
      "acme-bus-gateway-egress",
    ])
      expect(await get("NetworkPolicy", "networking.k8s.io/v1", policy)).toBeDefined();
    // Service invocation is denied; the gateway's sidecar token was generated once.
    expect(
      (await get("Configuration", "dapr.io/v1alpha1", "acme-dapr-config"))?.spec?.accessControl,
    ).toEqual({ defaultAction: "deny", trustDomain: "public" });
    const token = (await get("Secret", "v1", "acme-bus-gateway-app-token")) as
      { data?: Record<string, string> } | undefined;
    expect(Buffer.from(token?.data?.token ?? "", "base64").toString()).toMatch(
      /^[A-Za-z0-9_-]{43}$/,
    );
  });

  it("when the kwok pods run, then modules and the ecosystem become Ready and kubectl get shows it", async () => {
    const crm = await eventually(
      () => module("crm"),
      (m) => ready(m)?.status === "True",
      { what: "crm Ready" },
    );
    expect(crm!.status).toMatchObject({
      replicasReady: "2/2",
      appId: "crm",
      bus: "internal",
      observedGeneration: 1,
    });
    const eco = await eventually(
      () => get("Ecosystem", "symbiont.dev/v1alpha1", "acme"),
      (e) => ready(e)?.status === "True" && e?.status?.modulesReady === "3/3",
      { what: "acme Ready with 3/3 modules" },
    );
    expect(
      eco!.status.conditions
        .map((c: { type: string; status: string }) => `${c.type}=${c.status}`)
        .sort(),
    ).toEqual([
      "BusesConfigured=True",
      "GatewayAvailable=True",
      "LossySettings=False",
      "ModulesReady=True",
      "Ready=True",
    ]);
    const events = await client.list<Obj>(
      { apiVersion: "v1", kind: "Event" },
      { namespace, fieldSelector: "involvedObject.name=crm" },
    );
    expect(
      events.items.some((e) => e.reason === "Ready" && e.involvedObject.kind === "EcosystemModule"),
    ).toBe(true);
  });

  it("when nothing changed, then a reconcile writes nothing (children keep their resourceVersion)", async () => {
    await eventually(
      () => module("mdm"),
      (m) => ready(m)?.status === "True",
    );
    const before = await Promise.all([
      get("Deployment", "apps/v1", "mdm"),
      module("mdm"),
      get("Component", "dapr.io/v1alpha1", "acme-internal-bus"),
    ]);
    const reconciles = async () =>
      Number(
        (await operator.metrics()).match(
          /symbiont_reconcile_total\{kind="EcosystemModule",result="success"\} (\d+)/,
        )?.[1],
      );
    const count = await reconciles();
    // A label change makes the operator look at the module again without changing its spec.
    await client.patch(
      { apiVersion: "symbiont.dev/v1alpha1", kind: "EcosystemModule", namespace, name: "mdm" },
      { metadata: { labels: { touched: "yes" } } },
      "application/merge-patch+json",
    );
    await eventually(reconciles, (n) => n > count, { what: "a reconcile of mdm" });
    const after = await Promise.all([
      get("Deployment", "apps/v1", "mdm"),
      module("mdm"),
      get("Component", "dapr.io/v1alpha1", "acme-internal-bus"),
    ]);
    expect(after[0]!.metadata.resourceVersion).toBe(before[0]!.metadata.resourceVersion);
    expect(after[1]!.status).toEqual(before[1]!.status);
    expect(after[2]!.metadata.resourceVersion).toBe(before[2]!.metadata.resourceVersion);
  });

  it("when someone edits a child Deployment, then the operator reverts it", async () => {
    await eventually(() => get("Deployment", "apps/v1", "mdm"), Boolean);
    await client.patch(
      { apiVersion: "apps/v1", kind: "Deployment", namespace, name: "mdm" },
      {
        spec: {
          replicas: 5,
          template: { metadata: { annotations: { "dapr.io/app-id": "hijacked" } } },
        },
      },
      "application/merge-patch+json",
    );
    const reverted = await eventually(
      () => get("Deployment", "apps/v1", "mdm"),
      (d) =>
        d?.spec.replicas === 1 && d.spec.template.metadata.annotations["dapr.io/app-id"] === "mdm",
      { what: "Deployment mdm reverted" },
    );
    expect(reverted!.spec.replicas).toBe(1);
  });

  it("when a module stops subscribing and scales to one replica, then its Subscription and PodDisruptionBudget are pruned", async () => {
    await eventually(() => get("PodDisruptionBudget", "policy/v1", "crm"), Boolean);
    await apply(
      emod("crm", {
        tier: "core",
        type: "crm",
        replicas: 1,
        publishes: [{ topic: "customer.created" }],
      }),
    );
    await eventually(
      () => get("PodDisruptionBudget", "policy/v1", "crm"),
      (pdb) => pdb === undefined,
      { what: "PDB crm pruned" },
    );
    await eventually(
      async () =>
        (
          await client.list<Obj>(
            { apiVersion: "dapr.io/v2alpha1", kind: "Subscription" },
            { namespace },
          )
        ).items,
      (items) => !items.some((s) => s.spec.topic === "mdm.item.changed"),
      { what: "Subscription of crm pruned" },
    );
    const internal = await get("Component", "dapr.io/v1alpha1", "acme-internal-bus");
    const scopes = internal!.spec.metadata.find(
      (m: { name: string }) => m.name === "subscriptionScopes",
    ).value;
    await eventually(
      async () =>
        (await get("Component", "dapr.io/v1alpha1", "acme-internal-bus"))!.spec.metadata.find(
          (m: { name: string }) => m.name === "subscriptionScopes",
        ).value,
      (value) => value === "crm=;mdm=",
      { what: `subscriptionScopes updated (was ${scopes})` },
    );
  });

  it("when a module is deleted, then its children go and it leaves the bus scopes", async () => {
    await apply(
      emod("analytics", {
        tier: "core",
        type: "analytics",
        subscribes: [{ topic: "customer.created" }],
      }),
    );
    await eventually(() => get("Deployment", "apps/v1", "analytics"), Boolean, {
      what: "Deployment analytics",
    });
    await eventually(
      () => get("Component", "dapr.io/v1alpha1", "acme-internal-bus"),
      (c) => c!.scopes.includes("analytics"),
    );
    await client.delete({
      apiVersion: "symbiont.dev/v1alpha1",
      kind: "EcosystemModule",
      namespace,
      name: "analytics",
    });
    await eventually(
      () => get("Component", "dapr.io/v1alpha1", "acme-internal-bus"),
      (c) => !c!.scopes.includes("analytics"),
      {
        what: "analytics removed from the internal bus scopes",
      },
    );
    // The garbage collector of kube-controller-manager follows the owner references.
    await eventually(
      () => get("Deployment", "apps/v1", "analytics"),
      (d) => d === undefined,
      { what: "Deployment analytics deleted" },
    );
    await eventually(
      () => get("Service", "v1", "analytics"),
      (s) => s === undefined,
      { what: "Service analytics deleted" },
    );
  });

  it("when a module names an Ecosystem that does not exist, then EcosystemNotFound, and Ready once it is created", async () => {
    await apply({
      ...emod("portal", { tier: "front-office", type: "user-cabinet" }),
      spec: {
        ...emod("portal", { tier: "front-office", type: "user-cabinet" }).spec,
        ecosystemRef: { name: "later" },
      },
    });
    const waiting = await eventually(
      () => module("portal"),
      (m) => ready(m)?.reason === "EcosystemNotFound",
      { what: "EcosystemNotFound" },
    );
    expect(ready(waiting)!.message).toContain("Ecosystem later does not exist");
    await apply(ecosystem("later"));
    await eventually(
      () => module("portal"),
      (m) => ready(m)?.status === "True",
      { what: "portal Ready after its Ecosystem appeared" },
    );
  });

  it.each([
    {
      what: "a gateway with two replicas and ordered delivery",
      spec: { gateway: { replicas: 2 } },
      message:
        /more than one gateway replica needs delivery.ordered false: each replica's sidecar is a consumer of every topic/,
    },
    {
      what: "a gateway with two replicas on an in-memory bus",
      spec: {
        gateway: { replicas: 2 },
        delivery: { ordered: false },
        internalBus: { type: "in-memory" },
      },
      message:
        /more than one gateway replica needs brokers: an in-memory bus lives inside one process/,
    },
    {
      what: "both buses on the same Secret",
      spec: {
        corporateBus: { type: "redis", connection: { secretRef: { name: "internal-bus" } } },
      },
      message: /the internal and the corporate bus must be separate/,
    },
    {
      what: "a password in the bus settings",
      spec: {
        internalBus: {
          type: "redis",
          connection: { secretRef: { name: "internal-bus" } },
          settings: { redisPassword: "x" },
        },
      },
      message: /settings may not hold connection settings or credentials/,
    },
    {
      what: "a backoff that starts longer than its maximum",
      spec: { delivery: { backoff: { initial: "10m", max: "1s" } } },
      message: /delivery.backoff.initial must not be longer than delivery.backoff.max/,
    },
  ])(
    "when an Ecosystem has $what, then the API server refuses it, saying why",
    async ({ spec, message }) => {
      const base = ecosystem("refused");
      await expect(apply({ ...base, spec: { ...base.spec, ...spec } })).rejects.toThrow(message);
    },
  );

  it("when a core module names the corporate bus, then the API server refuses it with the CEL message", async () => {
    await expect(
      apply(
        emod("billing", {
          tier: "core",
          type: "custom",
          publishes: [{ topic: "invoice.issued", bus: "corporate" }],
        }),
      ),
    ).rejects.toThrow(/a core module connects only to the internal bus: remove bus: corporate/);
    expect(await module("billing")).toBeUndefined();
  });

  it("when a module names a dead-letter topic that does not end in .deadletter, then the API server refuses it, saying why", async () => {
    await expect(
      apply(
        emod("reminders", {
          tier: "core",
          type: "custom",
          subscribes: [{ topic: "meeting.booked", deadLetterTopic: "meeting.failed" }],
        }),
      ),
    ).rejects.toThrow(/a dead-letter topic must end in \.deadletter/);
    expect(await module("reminders")).toBeUndefined();
  });

  // Last: a second Ecosystem's gateway Subscriptions would count as modules' in the tests above.
  it("when a bus is allowed lossy settings, then the Ecosystem says which in LossySettings=True and a Warning Event", async () => {
    const lossy = ecosystem("lossy");
    await apply({
      ...lossy,
      spec: {
        ...lossy.spec,
        corporateBus: {
          ...lossy.spec.corporateBus,
          allowLossySettings: true,
          settings: { publisherConfirm: "false", prefetchCount: "10" },
        },
      },
    });
    const expected =
      "corporate bus: publisherConfirm=false can trim or drop messages nobody has acknowledged (allowLossySettings: true)";
    const found = await eventually(
      () => get("Ecosystem", "symbiont.dev/v1alpha1", "lossy"),
      (object) =>
        object?.status?.conditions?.some(
          (c: { type: string; status: string }) =>
            c.type === "LossySettings" && c.status === "True",
        ),
      { what: "LossySettings=True on Ecosystem lossy" },
    );
    expect(
      found!.status.conditions.find((c: { type: string }) => c.type === "LossySettings"),
    ).toMatchObject({ status: "True", reason: "LossySettingsAllowed", message: expected });
    await eventually(
      () => client.list<Obj>({ apiVersion: "v1", kind: "Event" }, { namespace }),
      (events) =>
        events.items.some(
          (e) =>
            e.involvedObject?.name === "lossy" &&
            e.type === "Warning" &&
            e.reason === "LossySettingsAllowed" &&
            e.message === expected,
        ),
      { what: "a Warning Event LossySettingsAllowed on Ecosystem lossy" },
    );
    const acme = await get("Ecosystem", "symbiont.dev/v1alpha1", "acme");
    expect(
      acme!.status.conditions.find((c: { type: string }) => c.type === "LossySettings"),
    ).toMatchObject({ status: "False", reason: "DurableSettings" });
  });
});
