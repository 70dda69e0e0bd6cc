import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EcosystemModule } from "../../operator/src/api/ecosystem-module.types.js";
import type { Ecosystem } from "../../operator/src/api/ecosystem.types.js";
import { desiredModuleChildren } from "../../operator/src/controllers/module/desired-children.js";
import { KubeApiError } from "../../operator/src/kube/api-error.js";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { startControlPlane, type ControlPlane } from "../harness/control-plane.js";
import { startOperatorProcess, type OperatorProcess } from "../stack/operator-process.js";
import { checkChildren, type Owned } from "./module-children-check.js";
import type { Durations, Tally } from "./fault-suite.js";

// S8: the operator SIGKILLed and the API server restarted while EcosystemModules are being
// created, on a control plane of the scenario's own (an API server outage hurts no other
// test). Creates go on through both faults, each retried until the API server takes it, as
// `kubectl apply` in a loop would. Afterwards the total-queue check of the control plane:
// sent = modules the API server accepted; delivered = modules Ready (the operator's own
// condition: its Deployment available, which needs kube-controller-manager and kwok) whose
// Deployment has the spec the operator's pure functions give; lost = the rest; duplicated =
// a second Deployment of one module, a second ReplicaSet of one Deployment (a rollout the
// restarts caused), or an object owned by a module that its desired children do not name;
// redelivered = creates retried after a fault that found the module already there.

export const operatorScenario = {
  id: "S8",
  title: (d: Durations) =>
    `operator SIGKILLed and kube-apiserver restarted (${apiDownSeconds(d)} s down) during ${d.modules} module creates`,
};

const apiDownSeconds = (d: Durations) => Math.min(d.outageSeconds, 10);

const namespace = "chaos";
const ecosystemName = "chaos";

export async function runOperatorScenario(
  d: Durations,
  log: (line: string) => void = () => undefined,
): Promise<Tally> {
  const dir = mkdtempSync(join(tmpdir(), "chaos-operator-"));
  let controlPlane: ControlPlane | undefined;
  let client: KubeClient | undefined;
  let operator: OperatorProcess | undefined;
  try {
    controlPlane = await startControlPlane({ dir: join(dir, "cp"), keepDir: true, nodes: 2 });
    const cp = controlPlane;
    const kube = new KubeClient(cp.kubeConfig(), { qps: 500, burst: 1000 });
    client = kube;
    await kube.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    // The same pod name after the kill: the kubelet restarts the container in its pod, and
    // the operator takes its own lease back at once.
    const startOperator = () =>
      startOperatorProcess({
        kubeconfigPath: cp.kubeconfigPath,
        namespace,
        dir: join(dir, "operator"),
        env: { LOG_LEVEL: "warn", SYMBIONT_KUBE_QPS: "200", SYMBIONT_KUBE_BURST: "400" },
      });
    operator = await startOperator();
    await kube.create({
      apiVersion: "symbiont.dev/v1alpha1",
      kind: "Ecosystem",
      metadata: { name: ecosystemName, namespace },
      spec: { internalBus: { type: "in-memory" }, corporateBus: { type: "in-memory" } },
    } as KubeObject);

    const started = performance.now();
    const names = Array.from({ length: d.modules }, (_, i) => `m${String(i).padStart(4, "0")}`);
    const operatorKillAt = Math.floor(d.modules / 3);
    const apiRestartAt = Math.floor((2 * d.modules) / 3);
    const faults: Promise<void>[] = [];
    let redelivered = 0;
    const batch = 25;
    for (let i = 0; i < names.length; i += batch) {
      if (operatorKillAt >= i && operatorKillAt < i + batch) {
        log(`  S8: operator SIGKILLed at module ${operatorKillAt}`);
        operator.kill();
        // The kubelet's restart: the creates go on meanwhile.
        faults.push(
          startOperator().then((restarted) => {
            operator = restarted;
          }),
        );
      }
      if (apiRestartAt >= i && apiRestartAt < i + batch) {
        log(`  S8: kube-apiserver killed at module ${apiRestartAt}`);
        faults.push(cp.restartApiServer(apiDownSeconds(d) * 1000));
      }
      const results = await Promise.all(
        names.slice(i, i + batch).map((name, j) => createSurely(kube, moduleOf(name, i + j))),
      );
      redelivered += results.filter((found) => found === "already there").length;
    }
    await Promise.all(faults);
    const sent = names.length;
    log(`  S8: ${sent} modules created, waiting for them to be Ready`);

    const deadline = Date.now() + d.settleSeconds * 1000;
    let modules = await listModules(kube);
    while (modules.filter(isReady).length < sent && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      modules = await listModules(kube);
    }
    const ecosystem = await kube.get<Ecosystem>({
      apiVersion: "symbiont.dev/v1alpha1",
      kind: "Ecosystem",
      namespace,
      name: ecosystemName,
    });
    if (!ecosystem) throw new Error(`Ecosystem ${ecosystemName} is gone`);
    const desired = new Map(
      modules.map((m) => [m.metadata.name, desiredModuleChildren(m, ecosystem)]),
    );
    const kinds = new Map<string, Pick<KubeObject, "apiVersion" | "kind">>();
    for (const child of [...desired.values()].flat())
      kinds.set(`${child.apiVersion}/${child.kind}`, {
        apiVersion: child.apiVersion,
        kind: child.kind,
      });
    kinds.set("apps/v1/ReplicaSet", { apiVersion: "apps/v1", kind: "ReplicaSet" });
    const owned: Owned[] = [];
    for (const type of kinds.values())
      owned.push(...((await kube.list<KubeObject>(type, { namespace })).items as Owned[]));
    const check = checkChildren(names, modules, desired, owned, isReady);
    return {
      id: operatorScenario.id,
      title: operatorScenario.title(d),
      sent,
      delivered: check.delivered,
      lost: sent - check.delivered,
      duplicated: check.duplicated,
      redelivered,
      auditOk: check.problems.length === 0,
      auditProblems: check.problems.slice(0, 5),
      seconds: Math.round((performance.now() - started) / 1000),
    };
  } finally {
    await operator?.stop();
    client?.close();
    await controlPlane?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  }
}

function moduleOf(name: string, index: number): KubeObject {
  return {
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "EcosystemModule",
    metadata: { name, namespace },
    spec: {
      ecosystemRef: { name: ecosystemName },
      tier: index % 3 === 0 ? "front-office" : "core",
      type: "custom",
      image: "example.com/module:1",
      publishes: [{ topic: `t${index}` }],
    },
  } as KubeObject;
}

/**
 * Creates until the API server has it: an answer lost in an outage is retried, and a retry
 * that finds the module means the first attempt was taken ("already there").
 */
async function createSurely(
  client: KubeClient,
  object: KubeObject,
): Promise<"created" | "already there"> {
  const deadline = Date.now() + 180_000;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      await client.create(object);
      return "created";
    } catch (error) {
      const status = error instanceof KubeApiError ? error.status : 0;
      if (status === 409 && attempts > 1) return "already there";
      if (status !== 0 && status !== 429 && status < 500) throw error;
      if (Date.now() > deadline)
        throw new Error(`could not create ${object.metadata.name} within 180 s: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function listModules(client: KubeClient): Promise<EcosystemModule[]> {
  for (;;) {
    try {
      return (
        await client.list<EcosystemModule>(
          { apiVersion: "symbiont.dev/v1alpha1", kind: "EcosystemModule" },
          { namespace },
        )
      ).items;
    } catch (error) {
      if (error instanceof KubeApiError && !error.isTransient) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

function isReady(module: EcosystemModule): boolean {
  return Boolean(
    module.status?.conditions?.some(
      (c) =>
        c.type === "Ready" &&
        c.status === "True" &&
        c.observedGeneration === module.metadata.generation,
    ),
  );
}
