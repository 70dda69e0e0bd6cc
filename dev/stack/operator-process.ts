import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../harness/tool-paths.js";
import { startProcess, stopPid, type ManagedProcess } from "../harness/managed-process.js";
import { freePort, httpGet, waitUntil } from "../harness/probe.js";

// The operator as users run it (`make run`): its own process, against the test control
// plane's kubeconfig, so tests can kill it, restart it and run two of them.

export interface OperatorProcess {
  readonly name: string;
  readonly process: ManagedProcess;
  readonly httpPort: number;
  /** The topology page's address, e.g. http://127.0.0.1:40123/ */
  readonly topologyUrl: string;
  metrics(): Promise<string>;
  /** SIGTERM: a clean stop (releases the lease). */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): void;
}

export interface OperatorProcessOptions {
  kubeconfigPath: string;
  /** Namespace to watch, and to hold the leader lease in. */
  namespace: string;
  /** Folder for logs and pid files. */
  dir: string;
  name?: string;
  env?: Record<string, string>;
  /** Run operator/dist (compiled, as the image does) instead of the TypeScript sources. */
  compiled?: boolean;
  /** Extra node flags, e.g. --max-old-space-size=128. */
  nodeFlags?: string[];
}

export async function startOperatorProcess(
  options: OperatorProcessOptions,
): Promise<OperatorProcess> {
  const name = options.name ?? "operator";
  mkdirSync(options.dir, { recursive: true });
  const httpPort = await freePort();
  const topologyPort = await freePort();
  const process_ = await startProcess({
    name,
    dir: options.dir,
    command: process.execPath,
    args: options.compiled
      ? [
          ...(options.nodeFlags ?? []),
          join(repoRoot, "operator/dist/main.js"),
          `--instance=${options.dir}`,
        ]
      : [
          "--conditions=symbiont-source",
          "--import",
          "tsx",
          join(repoRoot, "operator/src/main.ts"),
          `--instance=${options.dir}`,
        ],
    cwd: repoRoot,
    env: {
      ...process.env,
      KUBECONFIG: options.kubeconfigPath,
      SYMBIONT_WATCH_NAMESPACE: options.namespace,
      SYMBIONT_LEASE_NAMESPACE: options.namespace,
      SYMBIONT_HTTP_PORT: String(httpPort),
      SYMBIONT_HTTP_HOST: "127.0.0.1",
      SYMBIONT_TOPOLOGY_PORT: String(topologyPort),
      POD_NAME: name,
      LOG_LEVEL: "debug",
      ...options.env,
    },
  });
  await waitUntil(
    `operator ${name} ready`,
    async () => (await httpGet({ url: `http://127.0.0.1:${httpPort}/readyz` })).status === 200,
    { process: process_, timeoutMs: 60_000 },
  );
  return {
    name,
    process: process_,
    httpPort,
    topologyUrl: `http://127.0.0.1:${topologyPort}/`,
    metrics: async () => (await httpGet({ url: `http://127.0.0.1:${httpPort}/metrics` })).body,
    stop: () => stopPid(process_.pid),
    kill: () => {
      try {
        process.kill(-process_.pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}

/** The value of one metric sample line in Prometheus text, e.g. metricValue(text, "symbiont_leader"). */
export function metricValue(text: string, sample: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : undefined;
}
