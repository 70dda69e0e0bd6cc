import { join } from "node:path";
import { startProcess, stopPid, type ManagedProcess } from "./managed-process.js";
import { freePort, httpGet, waitUntil } from "./probe.js";
import { toolPath } from "./tool-paths.js";

// One real daprd sidecar in self-hosted mode (no placement, no scheduler: pub/sub and
// bindings need neither), reading its Components from a resources folder.

export interface DaprdOptions {
  appId: string;
  /** The app's port; omit for a sidecar that only publishes (no app channel). */
  appPort?: number;
  /** Folder of Dapr resource YAML (Components, Subscriptions, Resiliency). */
  resourcesDir: string;
  /** A Dapr Configuration file. */
  configFile?: string;
  /** Instance folder for logs and pid files (must appear in the command line: resourcesDir inside it is enough). */
  dir: string;
  /** Process name in logs/ and pids/ (default daprd-<appId>). */
  name?: string;
  env?: NodeJS.ProcessEnv;
  /** At most this many requests to the app at once (`dapr.io/app-max-concurrency`). */
  appMaxConcurrency?: number;
  /** The ports of a sidecar started again in place of one that died (default: free ports). */
  ports?: DaprdPorts;
}

export interface DaprdPorts {
  http: number;
  grpc: number;
  internalGrpc: number;
  metrics: number;
}

export interface Daprd {
  readonly appId: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly metricsPort: number;
  readonly ports: DaprdPorts;
  readonly process: ManagedProcess;
  /** http://127.0.0.1:<httpPort> */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startDaprd(options: DaprdOptions): Promise<Daprd> {
  const httpPort = options.ports?.http ?? (await freePort());
  const grpcPort = options.ports?.grpc ?? (await freePort());
  const internalGrpcPort = options.ports?.internalGrpc ?? (await freePort());
  const metricsPort = options.ports?.metrics ?? (await freePort());
  const args = [
    `--app-id=${options.appId}`,
    `--dapr-http-port=${httpPort}`,
    `--dapr-grpc-port=${grpcPort}`,
    `--dapr-internal-grpc-port=${internalGrpcPort}`,
    `--metrics-port=${metricsPort}`,
    "--dapr-listen-addresses=127.0.0.1",
    `--resources-path=${options.resourcesDir}`,
    "--placement-host-address=",
    "--scheduler-host-address=",
    "--log-as-json",
    `--log-level=${globalThis.process.env.SYMBIONT_DAPRD_LOG_LEVEL ?? "info"}`,
  ];
  if (options.appPort !== undefined) {
    args.push(
      `--app-port=${options.appPort}`,
      "--app-protocol=http",
      "--app-channel-address=127.0.0.1",
    );
    if (options.appMaxConcurrency !== undefined)
      args.push(`--app-max-concurrency=${options.appMaxConcurrency}`);
  }
  if (options.configFile) args.push(`--config=${options.configFile}`);
  const process = await startProcess({
    name: options.name ?? `daprd-${options.appId}`,
    dir: options.dir,
    command: toolPath("daprd"),
    args,
    env: options.env,
    cwd: options.dir,
  });
  const url = `http://127.0.0.1:${httpPort}`;
  // Outbound health: the sidecar is up and its components are loaded.
  await waitUntil(
    `daprd ${options.appId} outbound healthy`,
    async () => (await httpGet({ url: `${url}/v1.0/healthz/outbound` })).status === 204,
    { process, timeoutMs: 60_000 },
  );
  return {
    appId: options.appId,
    httpPort,
    grpcPort,
    metricsPort,
    ports: { http: httpPort, grpc: grpcPort, internalGrpc: internalGrpcPort, metrics: metricsPort },
    process,
    url,
    stop: () => stopPid(process.pid),
  };
}

/** The folder daprd's logs go to, for assertions and failure messages. */
export function daprdLog(dir: string, appId: string): string {
  return join(dir, "logs", `daprd-${appId}.log`);
}
