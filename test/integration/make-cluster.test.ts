import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive } from "../../dev/harness/managed-process.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";

// `make cluster` / `make cluster-down` as a user runs them: the printed exports work with the
// built kubectl and helm, the control plane starts clean with Dapr's CRDs (as a cluster with
// Dapr installed), the chart installs on it, and down stops every process by its pid file.

const dir = mkdtempSync(join(tmpdir(), "symbiont-make-cluster-"));
// Asynchronous on purpose: a blocked test worker cannot answer the test runner.
const run = promisify(execFile);
const cli = async (command: string, extraEnv: Record<string, string> = {}) =>
  (
    await run(
      process.execPath,
      [
        "--conditions=symbiont-source",
        "--import",
        "tsx",
        join(repoRoot, "dev/harness/cli.ts"),
        command,
      ],
      { env: { ...process.env, SYMBIONT_CLUSTER_DIR: dir, ...extraEnv }, cwd: repoRoot },
    )
  ).stdout;

/** Runs a tool of the printed PATH against the printed KUBECONFIG; never throws. */
async function tool(
  exports: string,
  name: "kubectl" | "helm",
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(exports)![1]!;
  const path = /export PATH=(\S+):\$PATH/.exec(exports)![1]!;
  try {
    const { stdout, stderr } = await run(join(path, name), args, {
      env: { ...process.env, KUBECONFIG: kubeconfig },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

afterAll(async () => {
  try {
    await cli("down");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("make cluster", () => {
  it("prints exports that reach a clean cluster with a Ready kwok node and Dapr's kinds, where helm installs Symbiont; cluster-down stops it", async () => {
    const exports = await cli("up");
    expect(/export KUBECONFIG=(\S+)/.exec(exports)?.[1]).toBe(join(dir, "kubeconfig"));
    const kubectl = async (...args: string[]) => (await tool(exports, "kubectl", ...args)).stdout;
    const nodes = await tool(exports, "kubectl", "get", "nodes");
    expect(nodes.stderr).toBe("");
    expect(nodes.stdout).toMatch(/kwok-node-0\s+Ready/);
    const resources = await kubectl("api-resources", "--api-group=dapr.io");
    for (const kind of ["Component", "Subscription", "Resiliency", "Configuration"])
      expect(resources).toContain(kind);
    // Symbiont's CRDs are not there until the chart brings them.
    expect(await kubectl("api-resources", "--api-group=symbiont.dev")).not.toMatch(/ecosystems/);
    const install = await tool(
      exports,
      "helm",
      "install",
      "symbiont",
      join(repoRoot, "charts", "symbiont"),
      "-n",
      "symbiont-system",
      "--create-namespace",
    );
    expect(install.stderr).toBe("");
    expect(install.code).toBe(0);
    expect(await kubectl("api-resources", "--api-group=symbiont.dev")).toMatch(
      /ecosystems\s+eco\s/,
    );

    expect(await cli("up")).toContain(exports.split("\n")[0]); // idempotent: already running
    const pids = readdirSync(join(dir, "pids")).map((file) =>
      Number(readFileSync(join(dir, "pids", file), "utf8")),
    );
    expect(pids.length).toBe(5);
    await cli("down");
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it("when started again, then it is clean (no release, no Symbiont CRDs); KEEP=1 keeps the last one's data", async () => {
    const kept = await cli("up", { SYMBIONT_CLUSTER_KEEP: "1" });
    expect((await tool(kept, "helm", "list", "-A", "-q")).stdout.trim()).toBe("symbiont");
    await cli("down");
    const clean = await cli("up");
    expect((await tool(clean, "helm", "list", "-A", "-q")).stdout.trim()).toBe("");
    expect(
      (await tool(clean, "kubectl", "api-resources", "--api-group=symbiont.dev")).stdout,
    ).not.toMatch(/ecosystems/);
    await cli("down");
  });

  it("when the cluster does not serve Dapr's kinds, then helm install refuses and says what to do", async () => {
    const exports = await cli("up", { SYMBIONT_CLUSTER_CRDS: "none" });
    const install = await tool(
      exports,
      "helm",
      "install",
      "symbiont",
      join(repoRoot, "charts", "symbiont"),
      "-n",
      "default",
    );
    expect(install.code).not.toBe(0);
    expect(install.stderr).toContain(
      "this cluster does not serve dapr.io/v1alpha1/Component: install Dapr first",
    );
    expect((await tool(exports, "helm", "list", "-A", "-q")).stdout.trim()).toBe("");
    await cli("down");
  });
});
