import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { startDaprd, type Daprd } from "../harness/daprd.js";
import { startProcess, stopPid, type ManagedProcess } from "../harness/managed-process.js";
import { freePort, httpGet, waitUntil } from "../harness/probe.js";
import { repoRoot } from "../harness/tool-paths.js";

// Symbiont's own services as the local runner starts them: a real process
// (`node --conditions=symbiont-source --import tsx services/<name>/src/main.ts`) with the
// module contract's environment and a real daprd sidecar whose Components and declarative
// Subscriptions are written as the operator renders them.

export type PubsubKind = "rabbitmq" | "in-memory";

export interface ModuleOptions {
  service: "mdm" | "crm";
  appId: string;
  /** Instance folder (logs, pids, resources). */
  dir: string;
  databaseUrl: string;
  pubsubName: string;
  pubsub: PubsubKind;
  subscribes?: string[];
  env?: Record<string, string>;
}

export interface RunningModule {
  readonly url: string;
  readonly appId: string;
  readonly daprd: Daprd;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export function pubsubComponent(name: string, kind: PubsubKind): Record<string, unknown> {
  const metadata =
    kind === "rabbitmq"
      ? [
          { name: "connectionString", value: "amqp://guest:guest@127.0.0.1:5672" },
          { name: "durable", value: "true" },
          { name: "deliveryMode", value: "2" },
          { name: "publisherConfirm", value: "true" },
          // Without it a RETRY answer is a nack without requeue: the message is gone.
          { name: "requeueInFailure", value: "true" },
          // As the operator renders it: RabbitMQ refuses to redeclare an exchange (one per
          // topic, shared by every user of the broker) with another auto-delete setting.
          { name: "deletedWhenUnused", value: "false" },
        ]
      : [];
  return {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Component",
    metadata: { name },
    spec: {
      type: kind === "rabbitmq" ? "pubsub.rabbitmq" : "pubsub.in-memory",
      version: "v1",
      metadata,
    },
  };
}

export function subscription(
  appId: string,
  pubsubName: string,
  topic: string,
): Record<string, unknown> {
  return {
    apiVersion: "dapr.io/v2alpha1",
    kind: "Subscription",
    metadata: { name: `${appId}-${topic.replaceAll(".", "-")}` },
    spec: {
      pubsubname: pubsubName,
      topic,
      routes: { default: `/events/${topic}` },
      deadLetterTopic: `${topic}.deadletter`,
    },
    scopes: [appId],
  };
}

/** Writes a sidecar's resources folder: the bus component and one Subscription per topic. */
export function writeResources(
  dir: string,
  appId: string,
  pubsubName: string,
  kind: PubsubKind,
  topics: string[],
): string {
  const resources = join(dir, `${appId}-resources`);
  mkdirSync(resources, { recursive: true });
  writeFileSync(join(resources, "pubsub.yaml"), stringify(pubsubComponent(pubsubName, kind)));
  for (const topic of topics) {
    writeFileSync(
      join(resources, `sub-${topic}.yaml`),
      stringify(subscription(appId, pubsubName, topic)),
    );
  }
  return resources;
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
  const appPort = await freePort();
  const resourcesDir = writeResources(
    options.dir,
    options.appId,
    options.pubsubName,
    options.pubsub,
    options.subscribes ?? [],
  );
  const daprd = await startDaprd({ appId: options.appId, appPort, resourcesDir, dir: options.dir });
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
