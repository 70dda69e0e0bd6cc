import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { startDaprd, type Daprd } from "../harness/daprd.js";
import { startProcess, stopPid, type ManagedProcess } from "../harness/managed-process.js";
import { freePort, httpGet, waitUntil } from "../harness/probe.js";
import { claimVhost, type SharedBroker } from "../harness/rabbitmq.js";
import { repoRoot } from "../harness/tool-paths.js";
import { internalBusName } from "@symbiont/contracts";
import type { EcosystemModule } from "../../operator/src/api/ecosystem-module.types.js";
import type { Ecosystem } from "../../operator/src/api/ecosystem.types.js";
import { desiredBusComponents } from "../../operator/src/controllers/ecosystem/desired-buses.js";
import { desiredModuleChildren } from "../../operator/src/controllers/module/desired-children.js";
import type { DaprSubscription } from "../../operator/src/dapr/dapr-resources.js";
import { withCrdDefaults } from "../render/crd-defaults.js";
import { selfHosted, withSecretValues } from "../render/self-hosted.js";

// Symbiont's own services as the local runner starts them: a real process
// (`node --conditions=symbiont-source --import tsx services/<name>/src/main.ts`) with the
// module contract's environment and a real daprd sidecar whose Component and declarative
// Subscriptions are rendered by the operator's own functions.

export type PubsubKind = "rabbitmq" | "in-memory";

export interface ModuleOptions {
  service: "mdm" | "crm" | "marketplace" | "analytics" | "files" | "sso" | "front-office";
  appId: string;
  /** Instance folder (logs, pids, resources). */
  dir: string;
  databaseUrl: string;
  pubsubName: string;
  pubsub: PubsubKind;
  subscribes?: string[];
  env?: Record<string, string>;
  /** Resources rendered elsewhere (by the operator's functions) instead of this file's own. */
  resourcesDir?: string;
  /** The app's port (default: a free one), for an app whose public URL is configured first. */
  port?: number;
}

export interface RunningModule {
  readonly url: string;
  readonly appId: string;
  /** The module's own database (a test reads what it stored). */
  readonly databaseUrl: string;
  readonly daprd: Daprd;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Writes a sidecar's resources folder: the bus and the app's Subscriptions, rendered by the
 * operator's functions as for a core module of the ecosystem the bus is named after. The app
 * may publish any topic (it is admitted by the bus's scopes, without a module's topic list).
 */
export function writeResources(
  dir: string,
  appId: string,
  pubsubName: string,
  kind: PubsubKind,
  topics: string[],
): string {
  const name = pubsubName.replace(/-internal-bus$/, "");
  if (internalBusName(name) !== pubsubName)
    throw new Error(`${pubsubName}: an internal bus is named <ecosystem>-internal-bus`);
  const ecosystem = withCrdDefaults<Ecosystem>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "Ecosystem",
    metadata: { name, namespace: "default" },
    spec: {
      internalBus:
        kind === "rabbitmq"
          ? { type: "rabbitmq", connection: { secretRef: { name: "bus" } } }
          : { type: "in-memory" },
      corporateBus: { type: "in-memory" },
    },
  });
  const module = withCrdDefaults<EcosystemModule>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "EcosystemModule",
    metadata: { name: appId, namespace: "default" },
    spec: {
      ecosystemRef: { name },
      tier: "core",
      type: "custom",
      image: "example.com/module:1",
      subscribes: topics.map((topic) => ({ topic })),
    },
  });
  const secrets = new Map([["bus", { connectionString: amqpUrl(pubsubName) }]]);
  const [bus] = desiredBusComponents(ecosystem, []);
  const subscriptions = desiredModuleChildren(module, ecosystem).filter(
    (child): child is DaprSubscription => child.kind === "Subscription",
  );
  const resources = join(dir, `${appId}-resources`);
  mkdirSync(resources, { recursive: true });
  writeFileSync(
    join(resources, "pubsub.yaml"),
    stringify(selfHosted({ ...withSecretValues(bus!, secrets), scopes: [appId] })),
  );
  for (const subscription of subscriptions) {
    writeFileSync(
      join(resources, `sub-${subscription.spec.topic}.yaml`),
      stringify(selfHosted(subscription)),
    );
  }
  return resources;
}

/** Each bus's vhost on the shared test broker, claimed once per process. */
const busVhosts = new Map<string, string>();

/**
 * Where a RabbitMQ bus lives: under the integration suite, a vhost of its own on the suite's
 * broker (`SYMBIONT_TEST_BROKER`, see test/support/worker-setup.ts), so test files never see
 * each other's messages; elsewhere the machine's broker.
 */
function amqpUrl(pubsubName: string): string {
  const shared = process.env.SYMBIONT_TEST_BROKER;
  if (!shared) return "amqp://guest:guest@127.0.0.1:5672";
  const broker = JSON.parse(shared) as SharedBroker;
  let vhost = busVhosts.get(pubsubName);
  if (!vhost) {
    vhost = claimVhost(broker, pubsubName);
    busVhosts.set(pubsubName, vhost);
  }
  return `${broker.base}${encodeURIComponent(vhost)}`;
}

/** Node's arguments to run a service from its TypeScript sources (as the local runner does). */
export function sourceEntry(service: string, instanceDir?: string): string[] {
  return [
    "--conditions=symbiont-source",
    "--import",
    "tsx",
    join(repoRoot, "services", service, "src", "main.ts"),
    ...(instanceDir ? [`--instance=${instanceDir}`] : []),
  ];
}

export async function startModule(options: ModuleOptions): Promise<RunningModule> {
  const appPort = options.port ?? (await freePort());
  const resourcesDir =
    options.resourcesDir ??
    writeResources(
      options.dir,
      options.appId,
      options.pubsubName,
      options.pubsub,
      options.subscribes ?? [],
    );
  // As the operator renders every module: one delivery at a time (see desired-children.ts).
  const daprd = await startDaprd({
    appId: options.appId,
    appPort,
    resourcesDir,
    dir: options.dir,
    appMaxConcurrency: 1,
  });
  const child = await startProcess({
    name: options.appId,
    dir: options.dir,
    command: process.execPath,
    args: sourceEntry(options.service),
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(appPort),
      SYMBIONT_APP_ID: options.appId,
      SYMBIONT_MODULE: options.appId,
      SYMBIONT_ECOSYSTEM: "test",
      SYMBIONT_PUBSUB_INTERNAL: options.pubsubName,
      DATABASE_URL: options.databaseUrl,
      DAPR_HTTP_PORT: String(daprd.httpPort),
      DAPR_GRPC_PORT: String(daprd.grpcPort),
      OUTBOX_RELAY_INTERVAL_MS: "500",
      ...options.env,
    },
  });
  const url = `http://127.0.0.1:${appPort}`;
  await waitUntil(
    `${options.service} ${options.appId} ready`,
    async () => (await httpGet({ url: `${url}/readyz` })).status === 200,
    {
      process: child,
      timeoutMs: 60_000,
    },
  );
  return {
    url,
    appId: options.appId,
    databaseUrl: options.databaseUrl,
    daprd,
    process: child,
    async stop() {
      await stopPid(child.pid);
      await daprd.stop();
    },
  };
}

/** JSON over HTTP for tests: the status and the parsed body. */
export async function call<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}
