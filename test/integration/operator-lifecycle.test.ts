import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { applyManifests } from "../../dev/harness/apply-manifests.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";
import {
  metricValue,
  startOperatorProcess,
  type OperatorProcess,
} from "../../dev/stack/operator-process.js";

// Two replicas with leader election, and an operator killed mid-reconcile: the failure
// modes a Deployment of the operator meets in a real cluster.

interface Lease extends KubeObject {
  spec: { holderIdentity?: string | null; leaseTransitions?: number };
}
interface Module extends KubeObject {
  status?: { conditions?: { type: string; status: string }[] };
}

const kc = testKubeConfig();
const client = new KubeClient(kc);
const started: OperatorProcess[] = [];
const leaseEnv = {
  SYMBIONT_LEASE_DURATION_SECONDS: "4",
  SYMBIONT_RENEW_DEADLINE_SECONDS: "3",
  SYMBIONT_RETRY_PERIOD_SECONDS: "1",
};

const start = async (namespace: string, name: string, env: Record<string, string> = {}) => {
  const operator = await startOperatorProcess({
    kubeconfigPath: inject("kubeconfigPath"),
    namespace,
    name,
    dir: join(inject("controlPlaneDir"), `operators-${namespace}`),
    env: { ...leaseEnv, ...env },
  });
  started.push(operator);
  return operator;
};
const isLeader = async (operator: OperatorProcess) =>
  metricValue(await operator.metrics(), "symbiont_leader") === 1;
const lease = (namespace: string) =>
  client.get<Lease>({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    namespace,
    name: "symbiont-operator",
  });
const ecosystem = {
  apiVersion: "symbiont.dev/v1alpha1",
  kind: "Ecosystem",
  metadata: { name: "acme" },
  spec: { internalBus: { type: "in-memory" }, corporateBus: { type: "in-memory" } },
};
const moduleNamed = (name: string) => ({
  apiVersion: "symbiont.dev/v1alpha1",
  kind: "EcosystemModule",
  metadata: { name },
  spec: { ecosystemRef: { name: "acme" }, tier: "core", type: "custom", image: "example.com/m:1" },
});
const readyModules = async (namespace: string) =>
  (
    await client.list<Module>(
      { apiVersion: "symbiont.dev/v1alpha1", kind: "EcosystemModule" },
      { namespace },
    )
  ).items.filter((m) =>
    m.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  ).length;

afterAll(async () => {
  await Promise.all(started.map((o) => o.stop()));
  client.close();
});

describe("the operator's process lifecycle", () => {
  it("when two replicas run, then exactly one leads; when it is killed, the other takes over within the lease time", async () => {
    const namespace = await createTestNamespace(kc, "lead");
    const first = await start(namespace, "replica-a");
    await eventually(() => isLeader(first), Boolean, { what: "replica-a leading" });
    const second = await start(namespace, "replica-b");
    expect((await lease(namespace))?.spec.holderIdentity).toBe("replica-a");
    expect(await isLeader(second)).toBe(false);

    await applyManifests(
      kc,
      [ecosystem, moduleNamed("before")] as KubeObject[],
      "test-user",
      namespace,
    );
    await eventually(
      () => readyModules(namespace),
      (n) => n === 1,
      { what: "module reconciled by the leader" },
    );
    const reconciledBySecond = metricValue(
      await second.metrics(),
      'symbiont_reconcile_total{kind="EcosystemModule",result="success"}',
    );
    expect(reconciledBySecond ?? 0).toBe(0);

    first.kill();
    const killedAt = Date.now();
    await eventually(
      () => lease(namespace),
      (l) => l?.spec.holderIdentity === "replica-b",
      {
        what: "replica-b holding the lease",
        timeoutMs: 30_000,
      },
    );
    const takeoverSeconds = (Date.now() - killedAt) / 1000;
    // lease 4 s + one retry period + scheduling slack; no timing assertion beyond "it happened".
    console.log(
      `takeover after SIGKILL of the leader: ${takeoverSeconds.toFixed(1)} s (lease duration 4 s)`,
    );
    expect((await lease(namespace))?.spec.leaseTransitions).toBeGreaterThanOrEqual(1);
    await eventually(() => isLeader(second), Boolean, { what: "replica-b leading" });

    await applyManifests(kc, [moduleNamed("after")] as KubeObject[], "test-user", namespace);
    await eventually(
      () => readyModules(namespace),
      (n) => n === 2,
      { what: "new module reconciled by the new leader" },
    );
  });

  it("when the leader stops cleanly, then it releases the lease and a standby leads at once", async () => {
    const namespace = await createTestNamespace(kc, "handover");
    const first = await start(namespace, "replica-a");
    await eventually(() => isLeader(first), Boolean);
    const second = await start(namespace, "replica-b");
    await first.stop();
    await eventually(
      () => lease(namespace),
      (l) => l?.spec.holderIdentity === "replica-b",
      {
        what: "replica-b holding the released lease",
        timeoutMs: 15_000,
      },
    );
    await eventually(() => isLeader(second), Boolean, { what: "replica-b leading" });
  });

  it("when the operator is killed mid-reconcile and restarted, then everything converges", async () => {
    const namespace = await createTestNamespace(kc, "crash");
    const modules = Array.from({ length: 30 }, (_, i) =>
      moduleNamed(`m${String(i).padStart(2, "0")}`),
    );
    await applyManifests(kc, [ecosystem, ...modules] as KubeObject[], "test-user", namespace);
    const first = await start(namespace, "crashing");
    // Kill it as soon as it has begun writing children, long before 30 modules are done.
    await eventually(
      async () =>
        (await client.list({ apiVersion: "apps/v1", kind: "Deployment" }, { namespace })).items
          .length,
      (n) => n > 0,
      { what: "first Deployment written", intervalMs: 20 },
    );
    first.kill();
    const partial = (
      await client.list({ apiVersion: "apps/v1", kind: "Deployment" }, { namespace })
    ).items.length;
    console.log(`Deployments written before the crash: ${partial} of 31`);

    await start(namespace, "restarted");
    await eventually(
      () => readyModules(namespace),
      (n) => n === 30,
      { what: "30 modules Ready after restart", timeoutMs: 120_000 },
    );
    const deployments = (
      await client.list({ apiVersion: "apps/v1", kind: "Deployment" }, { namespace })
    ).items;
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(
      ["acme-bus-gateway", ...modules.map((m) => m.metadata.name)].sort(),
    );
    const component = await client.get<KubeObject & { scopes: string[] }>({
      apiVersion: "dapr.io/v1alpha1",
      kind: "Component",
      namespace,
      name: "acme-internal-bus",
    });
    await eventually(
      () =>
        client.get<KubeObject & { scopes: string[] }>({
          apiVersion: "dapr.io/v1alpha1",
          kind: "Component",
          namespace,
          name: "acme-internal-bus",
        }),
      (c) => c?.scopes.length === 31,
      {
        what: `internal bus scoped to all 30 modules and the gateway (had ${component?.scopes.length})`,
      },
    );
  });

  it("when the operator is upgraded with a new gateway image, then every gateway that names none rolls to it; a pinned one stays", async () => {
    const namespace = await createTestNamespace(kc, "upgrade");
    const pinned = {
      ...ecosystem,
      metadata: { name: "pinned" },
      spec: { ...ecosystem.spec, gateway: { image: "example.com/own-gateway:7" } },
    };
    await applyManifests(kc, [ecosystem, pinned] as KubeObject[], "test-user", namespace);
    const imageOf = async (name: string) =>
      (
        await client.get<
          KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } }
        >({
          apiVersion: "apps/v1",
          kind: "Deployment",
          namespace,
          name,
        })
      )?.spec.template.spec.containers[0]!.image;
    const before = await start(namespace, "release-1", {
      SYMBIONT_GATEWAY_IMAGE: "registry.example/symbiont-dev/bus-gateway:0.1.0",
    });
    await eventually(
      () => imageOf("acme-bus-gateway"),
      (image) => image === "registry.example/symbiont-dev/bus-gateway:0.1.0",
      { what: "the gateway on the first release's image" },
    );
    expect(await eventually(() => imageOf("pinned-bus-gateway"), Boolean)).toBe(
      "example.com/own-gateway:7",
    );
    // The Ecosystem keeps no copy of the default: nothing to migrate on upgrade.
    const stored = await client.get<KubeObject & { spec: { gateway?: { image?: string } } }>({
      apiVersion: "symbiont.dev/v1alpha1",
      kind: "Ecosystem",
      namespace,
      name: "acme",
    });
    expect(stored?.spec.gateway?.image).toBeUndefined();
    await before.stop();

    await start(namespace, "release-2", {
      SYMBIONT_GATEWAY_IMAGE: "mirror.example:5000/symbiont-dev/bus-gateway:0.2.0",
    });
    await eventually(
      () => imageOf("acme-bus-gateway"),
      (image) => image === "mirror.example:5000/symbiont-dev/bus-gateway:0.2.0",
      { what: "the gateway rolled to the upgraded operator's image" },
    );
    expect(await imageOf("pinned-bus-gateway")).toBe("example.com/own-gateway:7");
  });
});
