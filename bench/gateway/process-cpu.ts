import { readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";

// CPU time of the machine's processes from /proc, grouped by what each is (a daprd by its
// app id, a Node process by its script, a database or broker by its program), so a bench row
// can say where its CPU went.

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

function labelOf(pid: string, ecosystem: string): string | undefined {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return undefined;
  }
  // Some programs (redis, postgres) rewrite their command line into one string.
  const program = basename((args[0] ?? "").split(/[ :]/)[0] ?? "");
  if (!program) return undefined;
  const named = (value: string) => value.replace(`${ecosystem}-`, "");
  if (program === "daprd") {
    const at = args.findIndex((a) => /^--?app-id(=|$)/.test(a));
    const appId = args[at]?.includes("=") ? args[at]!.split("=")[1] : args[at + 1];
    return `daprd ${named(at >= 0 ? (appId ?? "?") : "?")}`;
  }
  if (program === "node") {
    const script = args.find((a) => /\.(ts|js)$/.test(a) && !a.includes("node_modules"));
    return `node ${script ? script.replace(/^.*\/(services|bench)\//, "$1/") : "?"}`;
  }
  if (program.startsWith("postgres")) return "postgres";
  if (program === "beam.smp") return "rabbitmq";
  return program;
}

function cpuTicks(pid: string): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

export type ProcessCpu = Map<string, { label: string; ticks: number }>;

/** Every process's CPU time so far, by pid. */
export function processCpu(ecosystem: string): ProcessCpu {
  const all: ProcessCpu = new Map();
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const ticks = cpuTicks(pid);
    const label = ticks === undefined ? undefined : labelOf(pid, ecosystem);
    if (ticks !== undefined && label) all.set(pid, { label, ticks });
  }
  return all;
}

/** CPU seconds used between two snapshots, by label, largest first. */
export function cpuBetween(before: ProcessCpu, after: ProcessCpu): Array<[string, number]> {
  const used = new Map<string, number>();
  for (const [pid, { label, ticks }] of after) {
    const spent = (ticks - (before.get(pid)?.ticks ?? 0)) / ticksPerSecond;
    if (spent > 0) used.set(label, (used.get(label) ?? 0) + spent);
  }
  return [...used].sort((a, b) => b[1] - a[1]);
}
