import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyManifests } from "../../dev/harness/apply-manifests.js";
import { toolPath } from "../../dev/harness/tool-paths.js";
import { startOperatorProcess, type OperatorProcess } from "../../dev/stack/operator-process.js";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";

// A module's status tells the truth at once: pods that cannot pull their image (the kubelet's
// report, written here as KWOK's kubelet would) and pods the API server refuses (a quota) turn
// Ready False with the reason, long before the Deployment's 10-minute progress deadline; the
// message shows in `kubectl get -o wide` and the readiness in the operator's metrics.

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const kc = testKubeConfig();
const client = new KubeClient(kc);
let namespace: string;
let operator: OperatorProcess;

const emodType = { apiVersion: "symbiont.dev/v1alpha1", kind: "EcosystemModule" };
const module = (name: string) => client.get<Obj>({ ...emodType, namespace, name });
const ready = (object: Obj | undefined) =>
  object?.status?.conditions?.find((c: { type: string }) => c.type === "Ready") as
    { status: string; reason: string; message: string } | undefined;
const apply = (...objects: object[]) =>
  applyManifests(kc, objects as KubeObject[], "test-user", namespace);
const kubectl = (...args: string[]) =>
  execFileSync(toolPath("kubectl"), [...args, "-n", namespace], {
    env: { ...process.env, KUBECONFIG: inject("kubeconfigPath") },
    encoding: "utf8",
  });
const podsOf = async (name: string) =>
  (
    await client.list<Obj>(
      { apiVersion: "v1", kind: "Pod" },
      { namespace, labelSelector: `symbiont.dev/module=${name}` },
    )
  ).items.filter((pod) => !pod.metadata.deletionTimestamp);
const emod = (name: string) => ({
  ...emodType,
  metadata: { name },
  spec: {
    ecosystemRef: { name: "acme" },
    tier: "core",
    type: "custom",
    image: `ghcr.io/symbiont-dev/${name}:0.1.0`,
  },
});
const untilReason = (name: string, reason: string) =>
  eventually(
    () => module(name),
    (m) => ready(m)?.reason === reason,
    { what: `module ${name} Ready reason ${reason}` },
  );

beforeAll(async () => {
  namespace = await createTestNamespace(kc, "truth");
  operator = await startOperatorProcess({
    kubeconfigPath: inject("kubeconfigPath"),
    namespace,
    dir: join(inject("controlPlaneDir"), `operator-${namespace}`),
  });
  await apply(
    {
      apiVersion: "symbiont.dev/v1alpha1",
      kind: "Ecosystem",
      metadata: { name: "acme" },
      spec: {
        internalBus: { type: "redis", connection: { secretRef: { name: "internal-bus" } } },
        corporateBus: { type: "rabbitmq", connection: { secretRef: { name: "corporate-bus" } } },
      },
    },
    emod("crm"),
  );
});

afterAll(async () => {
  await operator?.stop();
  client.close();
});

describe("a module whose pods cannot run", () => {
  it("when its pod cannot pull the image, then Ready is False with ImagePullFailed at once, and True again once a pod runs", async () => {
    await untilReason("crm", "Ready");
    const [pod] = await podsOf("crm");
    expect(pod).toBeDefined();
    // What a kubelet reports for a tag the registry does not have.
    await client.patch(
      { apiVersion: "v1", kind: "Pod", namespace, name: pod!.metadata.name },
      {
        status: {
          conditions: [{ type: "Ready", status: "False", reason: "ContainersNotReady" }],
          containerStatuses: [
            {
              name: "module",
              image: "ghcr.io/symbiont-dev/crm:0.1.0",
              imageID: "",
              ready: false,
              restartCount: 0,
              state: {
                waiting: {
                  reason: "ErrImagePull",
                  message:
                    'failed to pull and unpack image "ghcr.io/symbiont-dev/crm:0.1.0": not found',
                },
              },
            },
          ],
        },
      },
      "application/merge-patch+json",
      "status",
    );
    const failing = await untilReason("crm", "ImagePullFailed");
    expect(ready(failing)).toMatchObject({ status: "False" });
    expect(ready(failing)!.message).toContain(
      `pod ${pod!.metadata.name} cannot pull image ghcr.io/symbiont-dev/crm:0.1.0 (ErrImagePull: failed to pull and unpack image`,
    );

    // kubectl get -o wide shows the message; the metrics say the module is not Ready.
    const wide = kubectl("get", "emod", "crm", "-o", "wide");
    expect(wide.split("\n")[0]).toMatch(/\sREASON\s+DEAD\s+AGE\s+MESSAGE$/);
    expect(wide).toMatch(/crm\s.*False\s+ImagePullFailed\s.*cannot pull image/);
    await eventually(
      () => operator.metrics(),
      (text) =>
        text.includes(
          `symbiont_object_ready{kind="EcosystemModule",object_namespace="${namespace}",object_name="crm"} 0`,
        ),
      { what: "symbiont_object_ready 0 for crm" },
    );

    // A new pod (the image fixed, here: the pod replaced) runs, and the module is Ready again.
    kubectl("delete", "pod", pod!.metadata.name, "--wait=false");
    await untilReason("crm", "Ready");
    // The gauge reads the operator's cache, which sees the status it wrote a moment later.
    await eventually(
      () => operator.metrics(),
      (text) =>
        text.includes(
          `symbiont_object_ready{kind="EcosystemModule",object_namespace="${namespace}",object_name="crm"} 1`,
        ),
      { what: "symbiont_object_ready 1 for crm" },
    );
  });

  it("when a quota refuses its pods, then Ready is False with ReplicaFailure quoting the API server", async () => {
    // No new pod in the namespace; the pods that run keep running.
    await apply({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "pods" },
      spec: { hard: { pods: "0" } },
    });
    // Admission counts against the quota's status, which kube-controller-manager computes.
    await eventually(
      () => client.get<Obj>({ apiVersion: "v1", kind: "ResourceQuota", namespace, name: "pods" }),
      (q) => q?.status?.hard?.pods === "0",
      { what: "the quota's status computed" },
    );
    await apply(emod("billing"));
    const refused = await untilReason("billing", "ReplicaFailure");
    expect(ready(refused)).toMatchObject({ status: "False" });
    expect(ready(refused)!.message).toMatch(
      /0\/1 replicas of module billing are available; pods cannot be created \(FailedCreate\): .*exceeded quota: pods/,
    );
    expect(kubectl("describe", "emod", "billing")).toContain("ReplicaFailure");
  });
});

describe("a module's workload template", () => {
  const withTemplate = (name: string, template: Record<string, unknown>) => ({
    ...emod(name),
    spec: { ...emod(name).spec, template },
  });

  it("when a template names pull secrets, placement and priority, then the Deployment's pods carry them", async () => {
    await apply(
      withTemplate("files", {
        metadata: { labels: { team: "files" } },
        imagePullSecrets: [{ name: "registry" }],
        nodeSelector: { "kubernetes.io/os": "linux" },
        tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }],
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: { "symbiont.dev/module": "files" } },
          },
        ],
        securityContext: { fsGroup: 10001 },
      }),
    );
    const deployment = await eventually(
      () =>
        client.get<Obj>({ apiVersion: "apps/v1", kind: "Deployment", namespace, name: "files" }),
      Boolean,
      { what: "Deployment files" },
    );
    const pod = deployment!.spec.template;
    expect(pod.metadata.labels).toMatchObject({ team: "files", "symbiont.dev/module": "files" });
    expect(pod.spec).toMatchObject({
      imagePullSecrets: [{ name: "registry" }],
      nodeSelector: { "kubernetes.io/os": "linux" },
      tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }],
      securityContext: { runAsNonRoot: true, fsGroup: 10001 },
    });
    expect(pod.spec.topologySpreadConstraints).toHaveLength(1);
  });

  it("when a template sets the operator's labels or Dapr's annotations, then the API server refuses it and stores nothing", async () => {
    await expect(
      apply(withTemplate("bad-labels", { metadata: { labels: { "symbiont.dev/tier": "x" } } })),
    ).rejects.toThrow(
      /template.metadata.labels may not set symbiont.dev\/\* or app.kubernetes.io\/\* labels/,
    );
    await expect(
      apply(withTemplate("bad-dapr", { metadata: { annotations: { "dapr.io/app-id": "x" } } })),
    ).rejects.toThrow(/template.metadata.annotations may not set dapr.io\/\* annotations/);
    expect(await module("bad-labels")).toBeUndefined();
    expect(await module("bad-dapr")).toBeUndefined();
  });

  it("when a template holds what a pod may not, then the module's Ready says what the API server refused", async () => {
    await apply(
      withTemplate("broken", { tolerations: [{ key: "dedicated", operator: "Sometimes" }] }),
    );
    const refused = await untilReason("broken", "InvalidChild");
    expect(ready(refused)).toMatchObject({ status: "False" });
    expect(ready(refused)!.message).toMatch(
      /the API server refused Deployment broken: .*tolerations.*Sometimes/,
    );
  });
});

describe("the operator's metrics", () => {
  it("then symbiont_build_info names the operator's version", async () => {
    expect(await operator.metrics()).toMatch(
      /^symbiont_build_info\{version="0\.1\.0",revision="[^"]+",node_version="v\d+\.\d+\.\d+"\} 1$/m,
    );
  });
});
