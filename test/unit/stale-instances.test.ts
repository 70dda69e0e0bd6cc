import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanStaleInstances } from "../../dev/harness/control-plane.js";
import { isAlive, stopPid } from "../../dev/harness/managed-process.js";

// A test run killed before its teardown leaves processes behind; the next run stops them
// by their pid files (never by process name), and leaves alone what is not theirs.

const roots: string[] = [];
const started: number[] = [];

afterEach(async () => {
  for (const pid of started.splice(0)) if (isAlive(pid)) await stopPid(pid, 1000);
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A long-running process whose command line mentions `marker`, in its own process group. */
function sleeper(marker: string): number {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", marker], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  started.push(child.pid!);
  return child.pid!;
}

function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  }).stdout as unknown as number;
}

function instance(
  root: string,
  name: string,
  owner: number,
  processes: Record<string, number>,
): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "pids"), { recursive: true });
  writeFileSync(join(dir, "owner.pid"), String(owner));
  for (const [process, pid] of Object.entries(processes))
    writeFileSync(join(dir, "pids", `${process}.pid`), String(pid));
  return dir;
}

describe("cleanStaleInstances", () => {
  it("when the run that started an instance is gone, then its processes are stopped and its folder removed", async () => {
    const root = mkdtempSync(join(tmpdir(), "stale-"));
    roots.push(root);
    const dir = join(root, "cp-dead");
    const etcd = sleeper(dir);
    const apiserver = sleeper(dir);
    instance(root, "cp-dead", deadPid(), { etcd, "kube-apiserver": apiserver });
    await cleanStaleInstances(root);
    expect(isAlive(etcd)).toBe(false);
    expect(isAlive(apiserver)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it("when the owning run is alive, then its instance is left running", async () => {
    const root = mkdtempSync(join(tmpdir(), "stale-"));
    roots.push(root);
    const dir = join(root, "cp-live");
    const etcd = sleeper(dir);
    instance(root, "cp-live", process.pid, { etcd });
    await cleanStaleInstances(root);
    expect(isAlive(etcd)).toBe(true);
    expect(existsSync(dir)).toBe(true);
  });

  it("when a pid file names a process that is not the instance's (pid reused), then that process is not touched", async () => {
    const root = mkdtempSync(join(tmpdir(), "stale-"));
    roots.push(root);
    const unrelated = sleeper("something-else-entirely");
    const dir = instance(root, "cp-reused", deadPid(), { etcd: unrelated });
    await cleanStaleInstances(root);
    expect(isAlive(unrelated)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });
});
