import { execFile } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot, toolPath } from "../../dev/harness/tool-paths.js";
import { startOperatorProcess, type OperatorProcess } from "../../dev/stack/operator-process.js";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";

// `kubectl symbiont` as a platform engineer runs it: the real kubectl finds kubectl-symbiont
// (operator/bin) on PATH. status reads the API server.

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const kc = testKubeConfig();
const client = new KubeClient(kc);
const run = promisify(execFile);
let namespace: string;
let operator: OperatorProcess;

/** kubectl with the plugin's folder (and this node) on PATH, as after a krew-style install. */
async function kubectl(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const path = [
    join(repoRoot, "operator", "bin"),
    dirname(process.execPath),
    process.env.PATH,
  ].join(delimiter);
  try {
    const { stdout, stderr } = await run(toolPath("kubectl"), args, {
      env: { ...process.env, PATH: path, KUBECONFIG: inject("kubeconfigPath") },
      encoding: "utf8",
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const api = "symbiont.dev/v1alpha1";
const emod = (name: string, tier: string, type: string) => ({
  apiVersion: api,
  kind: "EcosystemModule",
  metadata: { name },
  spec: { ecosystemRef: { name: "acme" }, tier, type, image: `ghcr.io/symbiont-dev/${name}:0.1.0` },
});

beforeAll(async () => {
  namespace = await createTestNamespace(kc, "plugin");
  operator = await startOperatorProcess({
    kubeconfigPath: inject("kubeconfigPath"),
    namespace,
    dir: join(inject("controlPlaneDir"), `operator-${namespace}`),
  });
  await applyManifests(
    kc,
    [
      {
        apiVersion: api,
        kind: "Ecosystem",
        metadata: { name: "acme" },
        spec: {
          internalBus: { type: "redis", connection: { secretRef: { name: "internal-bus" } } },
          corporateBus: { type: "rabbitmq", connection: { secretRef: { name: "corporate-bus" } } },
        },
      },
      emod("crm", "core", "crm"),
      emod("site", "front-office", "site"),
    ] as KubeObject[],
    "test-user",
    namespace,
  );
});

afterAll(async () => {
  await operator?.stop();
  client.close();
});

describe("kubectl symbiont status", () => {
  it("when the ecosystem runs, then one screen shows it from the API server: buses, gateway, modules by tier", async () => {
    await eventually(
      () => client.list<Obj>({ apiVersion: api, kind: "EcosystemModule" }, { namespace }),
      (list) =>
        list.items.filter((m) => m.spec.ecosystemRef.name === "acme").length === 2 &&
        list.items.every((m) =>
          m.status?.conditions?.some(
            (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
          ),
        ),
      { what: "both modules Ready" },
    );
    const { code, stdout, stderr } = await kubectl("symbiont", "status", "-n", namespace);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(new RegExp(`^Ecosystem acme \\(namespace ${namespace}\\): Ready `));
    expect(stdout).toContain("  buses:   internal redis, corporate rabbitmq");
    expect(stdout).toContain("  gateway: acme-bus-gateway");
    const crm = lines.findIndex((l) => /^core\s+crm\s+crm\s+1\/1\s+True\s+Ready$/.test(l));
    const site = lines.findIndex((l) =>
      /^front-office\s+site\s+site\s+1\/1\s+True\s+Ready$/.test(l),
    );
    expect(crm, stdout).toBeGreaterThan(0);
    expect(site, stdout).toBeGreaterThan(crm);
  });

  it("when asked about a namespace without an ecosystem, then it says so", async () => {
    const { stdout } = await kubectl("symbiont", "status", "-n", "default");
    expect(stdout.trim()).toBe("No ecosystem in namespace default.");
  });
});
