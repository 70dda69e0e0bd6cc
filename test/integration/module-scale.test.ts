import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyManifests } from "../../dev/harness/apply-manifests.js";
import { toolPath } from "../../dev/harness/tool-paths.js";
import { startOperatorProcess, type OperatorProcess } from "../../dev/stack/operator-process.js";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";

// The scale subresource on EcosystemModule, as `kubectl scale`, a HorizontalPodAutoscaler and
// KEDA use it: spec.replicas in, the Deployment's replicas and the pods' selector out.

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const kc = testKubeConfig();
const client = new KubeClient(kc);
let namespace: string;
let operator: OperatorProcess;

const emodType = { apiVersion: "symbiont.dev/v1alpha1", kind: "EcosystemModule" };
/** The object; missing is an error that `eventually` retries. */
const existing = async (type: { apiVersion: string; kind: string }, name: string) => {
  const object = await client.get<Obj>({ ...type, namespace, name });
  if (!object) throw new Error(`${type.kind} ${name} not found`);
  return object;
};
const module = (name: string) => existing(emodType, name);
const deployment = (name: string) => existing({ apiVersion: "apps/v1", kind: "Deployment" }, name);
const kubectl = (...args: string[]) =>
  execFileSync(toolPath("kubectl"), [...args, "-n", namespace], {
    env: { ...process.env, KUBECONFIG: inject("kubeconfigPath") },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
const kubectlFails = (...args: string[]): string => {
  try {
    kubectl(...args);
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error(`kubectl ${args.join(" ")} succeeded`);
};

beforeAll(async () => {
  namespace = await createTestNamespace(kc, "scale");
  operator = await startOperatorProcess({
    kubeconfigPath: inject("kubeconfigPath"),
    namespace,
    dir: join(inject("controlPlaneDir"), `operator-${namespace}`),
  });
  await applyManifests(
    kc,
    [
      {
        apiVersion: "symbiont.dev/v1alpha1",
        kind: "Ecosystem",
        metadata: { name: "acme" },
        spec: {
          internalBus: { type: "redis", connection: { secretRef: { name: "internal-bus" } } },
          corporateBus: { type: "rabbitmq", connection: { secretRef: { name: "corporate-bus" } } },
        },
      },
      {
        ...emodType,
        metadata: { name: "crm" },
        spec: {
          ecosystemRef: { name: "acme" },
          tier: "core",
          type: "crm",
          image: "ghcr.io/symbiont-dev/crm:0.1.0",
        },
      },
    ] as object[] as KubeObject[],
    "test-user",
    namespace,
  );
});

afterAll(async () => {
  await operator?.stop();
  client.close();
});

describe("scaling a module", () => {
  it("when `kubectl scale emod/crm --replicas 3` runs, then the Deployment runs 3 pods and the module's status and scale subresource say so, with the pods' selector", async () => {
    await eventually(
      () => module("crm"),
      (m) => m.status?.replicas === 1,
      { what: "module crm status.replicas 1" },
    );

    expect(kubectl("scale", "emod/crm", "--replicas", "3")).toContain("scaled");

    const scaled = await eventually(
      () => deployment("crm"),
      (d) => d.spec?.replicas === 3 && d.status?.replicas === 3,
      { what: "Deployment crm with 3 replicas" },
    );
    expect(scaled.spec.replicas).toBe(3);
    const status = await eventually(
      () => module("crm"),
      (m) => m.status?.replicas === 3,
      { what: "module crm status.replicas 3" },
    );
    expect(status.status.selector).toBe("symbiont.dev/module=crm");

    // What an autoscaler reads: the scale subresource.
    const scale = JSON.parse(
      kubectl(
        "get",
        "--raw",
        `/apis/symbiont.dev/v1alpha1/namespaces/${namespace}/ecosystemmodules/crm/scale`,
      ),
    );
    expect(scale).toMatchObject({
      kind: "Scale",
      spec: { replicas: 3 },
      status: { replicas: 3, selector: "symbiont.dev/module=crm" },
    });

    // The selector finds exactly the module's pods.
    const pods = await eventually(
      async () => kubectl("get", "pods", "-l", scale.status.selector, "-o", "name").trim(),
      (names) => names.split("\n").filter(Boolean).length === 3,
      { what: "3 pods selected by the module's selector" },
    );
    expect(pods.split("\n").every((pod) => pod.startsWith("pod/crm-"))).toBe(true);
  });

  it("when scaled to zero, then the Deployment follows and the module says ScaledToZero", async () => {
    kubectl("scale", "emod/crm", "--replicas", "0");
    await eventually(
      () => deployment("crm"),
      (d) => d.spec?.replicas === 0,
      { what: "Deployment crm with 0 replicas" },
    );
    const idle = await eventually(
      () => module("crm"),
      (m) =>
        m.status?.replicas === 0 &&
        m.status?.conditions?.some(
          (c: { type: string; reason: string }) =>
            c.type === "Ready" && c.reason === "ScaledToZero",
        ),
      { what: "module crm ScaledToZero" },
    );
    expect(idle.status.replicasReady).toBe("0/0");
  });

  it("when scaled beyond the module's limit, then the API server refuses and names spec.replicas", () => {
    const refusal = kubectlFails("scale", "emod/crm", "--replicas", "101");
    expect(refusal).toMatch(/spec\.replicas/);
    expect(refusal).toMatch(/100/);
  });
});
