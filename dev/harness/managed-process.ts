import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

// A process the harness starts and must be able to stop later, even from another process
// (`make cluster-down`) or after the starter was killed: it runs in its own process group,
// its output goes to <dir>/logs/<name>.log and its pid to <dir>/pids/<name>.pid.
// Stale processes are found by pid file and checked by command line (which contains the
// instance folder), never by process name.

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  exited(): boolean;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  /** The instance folder: holds logs/ and pids/, and appears in the command line. */
  dir: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export async function startProcess(options: StartOptions): Promise<ManagedProcess> {
  const logs = join(options.dir, "logs");
  const pids = join(options.dir, "pids");
  await mkdir(logs, { recursive: true });
  await mkdir(pids, { recursive: true });
  const logFile = join(logs, `${options.name}.log`);
  const out = openSync(logFile, "a");
  const child = spawn(options.command, options.args, {
    detached: true,
    stdio: ["ignore", out, out],
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`${options.name}: could not start ${options.command} (see ${logFile})`);
  }
  let exitedFlag = false;
  child.on("exit", () => (exitedFlag = true));
  child.on("error", () => (exitedFlag = true));
  child.unref();
  writeFileSync(join(pids, `${options.name}.pid`), String(pid));
  return { name: options.name, pid, logFile, exited: () => exitedFlag || !isAlive(pid) };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when `pid` is alive and its command line mentions `marker` (guards against pid reuse). */
export function isOurs(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
  } catch {
    return false;
  }
}

/** SIGTERM the process group, wait, then SIGKILL what is left. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  };
  signalGroup("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) {
    signalGroup("SIGKILL");
    while (isAlive(pid)) await sleep(20);
  }
}

/**
 * Stops every process recorded in `<dir>/pids` whose command line still names `dir`,
 * in the reverse order of `order` (dependents first), then the rest.
 */
export async function stopRecordedProcesses(dir: string, order: string[] = []): Promise<void> {
  const pidsDir = join(dir, "pids");
  if (!existsSync(pidsDir)) return;
  const names = readdirSync(pidsDir)
    .filter((file) => file.endsWith(".pid"))
    .map((file) => file.slice(0, -".pid".length));
  const rank = (name: string) => {
    const index = order.indexOf(name);
    return index === -1 ? -1 : index;
  };
  names.sort((a, b) => rank(b) - rank(a));
  for (const name of names) {
    const file = join(pidsDir, `${name}.pid`);
    const pid = Number(readFileSync(file, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && isOurs(pid, dir)) await stopPid(pid);
    rmSync(file, { force: true });
  }
}

export function logTail(logFile: string, lines = 30): string {
  try {
    return readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
