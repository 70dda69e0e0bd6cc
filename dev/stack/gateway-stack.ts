import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseGatewayFile } from "@symbiont/bus-gateway";
import {
  appTokenEnv,
  corporateBusName,
  gatewayName,
  internalBusName,
  type GatewayFile,
  type GatewayFileInput,
} from "@symbiont/contracts";
import { startDaprd, type Daprd } from "../harness/daprd.js";
import { gatewayAdminClient, type AdminClient } from "./gateway-admin-client.js";
import { startFerretDb, type FerretDb } from "../harness/ferretdb.js";
import { startProcess, stopPid, type ManagedProcess } from "../harness/managed-process.js";
import { freePort, httpGet, waitUntil } from "../harness/probe.js";
import { repoRoot } from "../harness/tool-paths.js";

// The bus gateway as it runs for real: its own Redis (both buses, AOF on request), a
// FerretDB ledger, Dapr Components, Resiliency and declarative Subscriptions rendered by the
// operator's own functions (gateway-resources.ts), the gateway as a process
// (`node --conditions=symbiont-source --import tsx services/bus-gateway/src/main.ts`) with a
// daprd sidecar, and publisher sidecars for core and non-core app-ids.

export interface Redis {
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
  kill(): void;
}

export async function startRedis(
  dir: string,
  options: { persistent?: boolean; port?: number; name?: string } = {},
): Promise<Redis> {
  const port = options.port ?? (await freePort());
  // The data folder is fixed per instance folder: a restarted Redis finds its append-only file.
  const dataDir = join(dir, "redis-data");
  mkdirSync(dataDir, { recursive: true });
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dataDir, "--save", ""];
  if (options.persistent) args.push("--appendonly", "yes", "--appendfsync", "always");
  else args.push("--appendonly", "no");
  const process = await startProcess({
    name: options.name ?? "redis",
    dir,
    command: "redis-server",
    args,
  });
  await waitUntil(`redis on ${port}`, async () => (await redisPing(port)) === "+PONG", {
    process,
    timeoutMs: 20_000,
  });
  return {
    port,
    process,
    stop: () => stopPid(process.pid),
    kill: () => globalThis.process.kill(process.pid, "SIGKILL"),
  };
}

async function redisPing(port: number): Promise<string> {
  const { connect } = await import("node:net");
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("error", reject);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().trim());
    });
  });
}

export {
  renderResources,
  stackModule,
  writeResources,
  type StackOptions,
} from "./gateway-resources.js";
export type { AdminClient } from "./gateway-admin-client.js";

export function gatewayAppId(file: GatewayFile): string {
  return gatewayName(file.ecosystem);
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  /** Partner webhooks (`/inbound/*`): the port a cluster's Service exposes. */
  readonly publicUrl: string;
  /** The admin API (dead letters, replay, the ledger). */
  readonly adminUrl: string;
  /** Admin API calls with the stack's admin token (absent when RBAC decides: `kubeAdmin`). */
  readonly admin: AdminClient;
  daprd: Daprd;
  /** SIGKILL the gateway's sidecar (the gateway keeps running, as in a pod). */
  killSidecar(): void;
  /** Start the sidecar again on the same ports (as the kubelet restarts a container). */
  restartSidecar(): Promise<void>;
  /** The token its sidecar presents on deliveries (`dapr-api-token`). */
  readonly appToken: string;
  process: ManagedProcess;
  /** SIGKILL the gateway process (its sidecar keeps running, as in a pod). */
  kill(): void;
  /** Start the gateway process again on the same port and sidecar. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface GatewayProcessOptions {
  dir: string;
  resourcesDir: string;
  file: GatewayFile;
  databaseUrl: string;
  env?: Record<string, string>;
  /**
   * The admin API checks callers with the Kubernetes API of `env.KUBECONFIG` (TokenReview,
   * SubjectAccessReview), as in a cluster, instead of the stack's static admin token.
   */
  kubeAdmin?: boolean;
  /**
   * Replicas of one gateway share these, as pods share the Secrets: the admin token (outside
   * a cluster) and the token sidecars present on deliveries.
   */
  adminToken?: string;
  appToken?: string;
}

export async function startGatewayProcess(options: GatewayProcessOptions): Promise<RunningGateway> {
  const port = await freePort();
  const publicPort = await freePort();
  const adminPort = await freePort();
  // Outside a cluster the admin API takes one static token (in a cluster RBAC decides).
  const adminToken = options.kubeAdmin
    ? undefined
    : (options.adminToken ?? randomBytes(24).toString("base64url"));
  const configPath = join(options.dir, "gateway-config.json");
  writeFileSync(configPath, JSON.stringify(options.file, null, 2));
  // As the operator renders the gateway: one delivery to it at a time (see desired-gateway.ts).
  // As the operator renders it: the sidecar presents a token the gateway checks on deliveries.
  const appToken = options.appToken ?? randomBytes(24).toString("base64url");
  let sidecarStarts = 0;
  const startSidecar = (ports?: Daprd["ports"]) => {
    sidecarStarts += 1;
    return startDaprd({
      appId: gatewayAppId(options.file),
      appPort: port,
      resourcesDir: options.resourcesDir,
      dir: options.dir,
      appMaxConcurrency: 1,
      env: { ...process.env, [appTokenEnv]: appToken },
      ports,
      ...(sidecarStarts > 1
        ? { name: `daprd-${gatewayAppId(options.file)}-${sidecarStarts}` }
        : {}),
    });
  };
  const daprd = await startSidecar();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SYMBIONT_PUBLIC_PORT: String(publicPort),
    SYMBIONT_ADMIN_PORT: String(adminPort),
    ...(adminToken ? { SYMBIONT_ADMIN_TOKEN: adminToken } : {}),
    DATABASE_URL: options.databaseUrl,
    SYMBIONT_GATEWAY_CONFIG: configPath,
    DAPR_HTTP_PORT: String(daprd.httpPort),
    DAPR_GRPC_PORT: String(daprd.grpcPort),
    [appTokenEnv]: appToken,
    LOG_LEVEL: process.env.SYMBIONT_GATEWAY_LOG_LEVEL ?? "info",
    ...options.env,
  };
  if (!options.env?.KUBECONFIG) delete env.KUBECONFIG;
  let starts = 0;
  const launch = async (): Promise<ManagedProcess> => {
    starts += 1;
    const started = await startProcess({
      name: `bus-gateway-${starts}`,
      dir: options.dir,
      command: process.execPath,
      args: [
        "--conditions=symbiont-source",
        "--import",
        "tsx",
        join(repoRoot, "services/bus-gateway/src/main.ts"),
        `--instance=${options.dir}`,
      ],
      env,
      cwd: repoRoot,
    });
    await waitUntil(
      "bus gateway ready",
      async () => (await httpGet({ url: `http://127.0.0.1:${port}/readyz` })).status === 200,
      {
        process: started,
        timeoutMs: 90_000,
      },
    );
    return started;
  };
  const gateway: RunningGateway = {
    url: `http://127.0.0.1:${port}`,
    publicUrl: `http://127.0.0.1:${publicPort}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    admin: gatewayAdminClient(`http://127.0.0.1:${adminPort}`, adminToken),
    port,
    daprd,
    killSidecar: () => process.kill(gateway.daprd.process.pid, "SIGKILL"),
    restartSidecar: async () => {
      gateway.daprd = await startSidecar(gateway.daprd.ports);
    },
    appToken,
    // A gateway that never becomes ready leaves no sidecar behind.
    process: await launch().catch(async (error: unknown) => {
      await daprd.stop();
      throw error;
    }),
    kill: () => process.kill(gateway.process.pid, "SIGKILL"),
    restart: async () => {
      gateway.process = await launch();
    },
    stop: async () => {
      await stopPid(gateway.process.pid);
      await gateway.daprd.stop();
    },
  };
  return gateway;
}

/** A sidecar for an app that only publishes (a core or non-core module in the test). */
export async function startPublisher(
  appId: string,
  resourcesDir: string,
  dir: string,
): Promise<Daprd> {
  return startDaprd({ appId, resourcesDir, dir });
}

/** Publishes one JSON payload through a sidecar; resolves with the HTTP status. */
export async function publish(
  daprd: Daprd,
  pubsub: string,
  topic: string,
  payload: unknown,
  id?: string,
): Promise<number> {
  const body = id
    ? JSON.stringify({
        specversion: "1.0",
        id,
        source: "test",
        type: topic,
        datacontenttype: "application/json",
        data: payload,
      })
    : JSON.stringify(payload);
  const answer = await fetch(`${daprd.url}/v1.0/publish/${pubsub}/${topic}`, {
    method: "POST",
    headers: { "content-type": id ? "application/cloudevents+json" : "application/json" },
    body,
  });
  await answer.arrayBuffer();
  return answer.status;
}

/** Publishes, retrying while the broker is away; never gives up silently. */
export async function publishSurely(
  daprd: Daprd,
  pubsub: string,
  topic: string,
  payload: unknown,
  id: string,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await publish(daprd, pubsub, topic, payload, id)) === 204) return;
    } catch {
      // sidecar busy reconnecting
    }
    if (Date.now() > deadline)
      throw new Error(
        `could not publish ${id} to ${pubsub}/${topic} within ${Math.round(timeoutMs / 1000)} s`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const answer = await fetch(url);
  if (!answer.ok) throw new Error(`GET ${url}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

/** POSTs a JSON body; the answer's JSON whatever its status (callers assert on it). */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const answer = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await answer.json()) as T;
}

export async function startLedgerDb(
  dir: string,
  backend: "sqlite" | "postgresql" = "sqlite",
): Promise<FerretDb> {
  return startFerretDb({ dir, backend, name: "ledger-db" });
}

export function uniqueEcosystem(prefix: string): string {
  return `${prefix}${randomBytes(3).toString("hex")}`;
}

/** A gateway file in the contract's shape (fields with defaults may be left out), for tests. */
export function gatewayFile(
  partial: Partial<GatewayFileInput> & Pick<GatewayFileInput, "ecosystem">,
): GatewayFile {
  return parseGatewayFile(
    JSON.stringify({
      namespace: "shop",
      internalPubsub: internalBusName(partial.ecosystem),
      corporatePubsub: corporateBusName(partial.ecosystem),
      delivery: {
        maxAttempts: 10,
        backoffInitialMs: 200,
        backoffMaxMs: 2_000,
        bufferTtlMs: 3_600_000,
        deadLetter: true,
      },
      routes: [],
      partners: [],
      ...partial,
    }),
  );
}
