import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { applyManifests } from "../../dev/harness/apply-manifests.js";
import { startControlPlane, type ControlPlane } from "../../dev/harness/control-plane.js";
import { eventually } from "../support/kube.js";
import { startOperatorProcess, type OperatorProcess } from "../../dev/stack/operator-process.js";

// The API server goes away (killed) and comes back: the operator must neither crash nor stop
// watching (client-node's informer stops on errors other than 410; ours relists and retries).
// This file runs its own control plane, so the outage hurts no other test.

interface Module extends KubeObject {
  status?: { conditions?: { type: string; status: string }[] };
}

const dir = mkdtempSync(join(tmpdir(), "symbiont-outage-"));
let controlPlane: ControlPlane;
let operator: OperatorProcess;
let client: KubeClient;
const namespace = "outage";

const module = (name: string) =>
  ({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "EcosystemModule",
    metadata: { name, namespace },
    spec: {
      ecosystemRef: { name: "acme" },
      tier: "core",
      type: "custom",
      image: "example.com/m:1",
    },
  }) as KubeObject;
const isReady = async (name: string) =>
  Boolean(
    (
      await client.get<Module>({
        apiVersion: "symbiont.dev/v1alpha1",
        kind: "EcosystemModule",
        namespace,
        name,
      })
    )?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  );

beforeAll(async () => {
  controlPlane = await startControlPlane({ dir: join(dir, "cp"), keepDir: true });
  client = new KubeClient(controlPlane.kubeConfig());
  await client.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
  operator = await startOperatorProcess({
    kubeconfigPath: controlPlane.kubeconfigPath,
    namespace,
    dir: join(dir, "operator"),
  });
});

afterAll(async () => {
  await operator?.stop();
  client?.close();
  await controlPlane?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("an API server outage", () => {
  it("when kube-apiserver is killed and comes back, then the operator keeps running and reconciles what changed meanwhile", async () => {
    const kc = controlPlane.kubeConfig();
    await applyManifests(
      kc,
      [
        {
          apiVersion: "symbiont.dev/v1alpha1",
          kind: "Ecosystem",
          metadata: { name: "acme", namespace },
          spec: { internalBus: { type: "in-memory" }, corporateBus: { type: "in-memory" } },
        } as KubeObject,
        module("before"),
      ],
      "test-user",
      namespace,
    );
    await eventually(() => isReady("before"), Boolean, { what: "module before Ready" });

    await controlPlane.restartApiServer(5000);
    expect(operator.process.exited()).toBe(false);

    await applyManifests(kc, [module("after")], "test-user", namespace);
    await eventually(() => isReady("after"), Boolean, {
      what: "module applied after the outage Ready",
      timeoutMs: 90_000,
    });
    const failed = [
      ...(await operator.metrics()).matchAll(
        /symbiont_kube_requests_total\{[^}]*code="0"\} (\d+)/g,
      ),
    ];
    console.log(
      `requests that found no API server during the outage: ${failed.reduce((n, m) => n + Number(m[1]), 0)}`,
    );
    expect(operator.process.exited()).toBe(false);
  });
});
