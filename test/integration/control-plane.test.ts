import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  Watch,
  type KubeConfig,
  type V1Pod,
} from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";

// Proves the test bed is a real Kubernetes: the controller manager turns a Deployment into
// pods, the scheduler binds them to the kwok node, kwok runs them; CRD schemas are enforced
// by the API server itself; watches deliver changes.

describe("the control plane test bed", () => {
  let kc: KubeConfig;
  let namespace: string;

  beforeAll(async () => {
    kc = testKubeConfig();
    namespace = await createTestNamespace(kc, "bed");
  });

  it("when a Deployment is applied, then its pods become Running on a kwok node", async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "web" },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "web", image: "example.com/web:1" }] },
          },
        },
      },
    });
    const pods = await eventually(
      async () => (await core.listNamespacedPod({ namespace, labelSelector: "app=web" })).items,
      (items: V1Pod[]) =>
        items.length === 2 && items.every((pod) => pod.status?.phase === "Running"),
      { what: "2 Running pods of Deployment web" },
    );
    for (const pod of pods) {
      expect(pod.spec?.nodeName).toMatch(/^kwok-node-/);
      expect(pod.status?.podIP).toMatch(/^10\.244\./);
    }
    const deployment = await eventually(
      () => apps.readNamespacedDeployment({ namespace, name: "web" }),
      (d) => d.status?.availableReplicas === 2,
      { what: "Deployment web available" },
    );
    expect(deployment.status?.readyReplicas).toBe(2);
  });

  it("when an object breaks its CRD schema, then the API server refuses it with its own message", async () => {
    const crds = kc.makeApiClient(ApiextensionsV1Api);
    const name = "gadgets.bed.symbiont.dev";
    await crds.createCustomResourceDefinition({
      body: {
        metadata: { name },
        spec: {
          group: "bed.symbiont.dev",
          scope: "Namespaced",
          names: { plural: "gadgets", singular: "gadget", kind: "Gadget" },
          versions: [
            {
              name: "v1",
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: "object",
                  properties: {
                    spec: {
                      type: "object",
                      required: ["size"],
                      properties: { size: { type: "integer", minimum: 1, maximum: 10 } },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    });
    await eventually(
      () => crds.readCustomResourceDefinition({ name }),
      (crd) =>
        Boolean(
          crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True"),
        ),
      { what: `CRD ${name} Established` },
    );
    const custom = kc.makeApiClient(CustomObjectsApi);
    const create = (size: number) =>
      custom.createNamespacedCustomObject({
        group: "bed.symbiont.dev",
        version: "v1",
        namespace,
        plural: "gadgets",
        body: {
          apiVersion: "bed.symbiont.dev/v1",
          kind: "Gadget",
          metadata: { name: `g${size}` },
          spec: { size },
        },
      });
    await expect(create(42)).rejects.toThrow(
      /spec\.size: Invalid value: 42: spec\.size in body should be less than or equal to 10/,
    );
    await expect(create(3)).resolves.toMatchObject({ spec: { size: 3 } });
  });

  it("when a ConfigMap changes, then a watch sees the change", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: "watched" }, data: { v: "1" } },
    });
    const seen: string[] = [];
    const watch = new Watch(kc);
    const request = await watch.watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { fieldSelector: "metadata.name=watched" },
      (phase, object: { data?: Record<string, string> }) => seen.push(`${phase}:${object.data?.v}`),
      () => undefined,
    );
    try {
      await eventually(
        async () => seen,
        (events) => events.includes("ADDED:1"),
        { what: "ADDED event" },
      );
      await core.patchNamespacedConfigMap({
        namespace,
        name: "watched",
        body: [{ op: "replace", path: "/data/v", value: "2" }],
      });
      await eventually(
        async () => seen,
        (events) => events.includes("MODIFIED:2"),
        { what: "MODIFIED event" },
      );
    } finally {
      request.abort();
    }
  });

  it("the Dapr CRDs the operator writes are installed", async () => {
    const crds = kc.makeApiClient(ApiextensionsV1Api);
    for (const name of [
      "components.dapr.io",
      "subscriptions.dapr.io",
      "resiliencies.dapr.io",
      "configurations.dapr.io",
    ]) {
      const crd = await crds.readCustomResourceDefinition({ name });
      expect(crd.status?.conditions?.find((c) => c.type === "Established")?.status).toBe("True");
    }
  });
});
