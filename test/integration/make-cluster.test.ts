import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive } from "../../dev/harness/managed-process.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";

// `make cluster` / `make cluster-down` as a user runs them: the printed exports work with the
// built kubectl, and down stops every process by its pid file.

const dir = mkdtempSync(join(tmpdir(), "symbiont-make-cluster-"));
const env = { ...process.env, SYMBIONT_CLUSTER_DIR: dir };
// Asynchronous on purpose: a blocked test worker cannot answer the test runner.
const run = promisify(execFile);
const cli = async (command: string) =>
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
      { env, cwd: repoRoot },
    )
  ).stdout;

afterAll(async () => {
  try {
    await cli("down");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("make cluster", () => {
  it("prints exports that reach a cluster with a Ready kwok node and the Dapr kinds; cluster-down stops it", async () => {
    const exports = await cli("up");
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(exports)?.[1];
    const path = /export PATH=(\S+):\$PATH/.exec(exports)?.[1];
    expect(kubeconfig).toBe(join(dir, "kubeconfig"));
    const kubectl = async (...args: string[]) =>
      (await run(join(path!, "kubectl"), args, { env: { ...process.env, KUBECONFIG: kubeconfig } }))
        .stdout;
    expect(await kubectl("get", "nodes")).toMatch(/kwok-node-0\s+Ready/);
    const resources = await kubectl("api-resources", "--api-group=dapr.io");
    for (const kind of ["Component", "Subscription", "Resiliency", "Configuration"])
      expect(resources).toContain(kind);
    expect(await kubectl("api-resources", "--api-group=symbiont.dev")).toMatch(
      /ecosystems\s+eco\s/,
    );

    expect(await cli("up")).toContain(`export KUBECONFIG=${kubeconfig}`); // idempotent: already running
    const pids = readdirSync(join(dir, "pids")).map((file) =>
      Number(readFileSync(join(dir, "pids", file), "utf8")),
    );
    expect(pids.length).toBe(5);
    await cli("down");
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });
});
