import { randomBytes } from "node:crypto";
import { signAccessToken, type AccessClaims } from "@symbiont/files";
import { startDaprd, type Daprd } from "../harness/daprd.js";
import { startFerretDb, type FerretDb } from "../harness/ferretdb.js";
import { startProcess, stopPid, isAlive, type ManagedProcess } from "../harness/managed-process.js";
import { freePort, httpGet, waitUntil } from "../harness/probe.js";
import { startSeaweedFs, type SeaweedFs } from "../harness/seaweedfs.js";
import { repoRoot } from "../harness/tool-paths.js";
import { sourceEntry, writeResources, type PubsubKind } from "./service-stack.js";

// The files module as it runs for real: a SeaweedFS S3 store, FerretDB, a daprd sidecar
// (with Dapr's app API token, so only it delivers events) and the service as a process
// that tests can kill and start again on the same store and database.

export interface FilesStackOptions {
  dir: string;
  appId: string;
  pubsubName: string;
  pubsub: PubsubKind;
  /** Extra environment of the service (limits, the crash hook). */
  env?: Record<string, string>;
  ferretBackend?: "sqlite" | "postgresql";
}

export interface FilesStack {
  readonly url: string;
  readonly appId: string;
  readonly daprd: Daprd;
  readonly seaweed: SeaweedFs;
  readonly ferret: FerretDb;
  readonly databaseUrl: string;
  readonly bucket: string;
  readonly appApiToken: string;
  readonly app: ManagedProcess;
  /** A bearer token for these claims, signed with the stack's key. */
  token(claims: AccessClaims): Promise<string>;
  /**
   * Starts the service (again), with `env` added to the stack's; waits until it is ready
   * (a restart over a large store takes longer: `timeoutMs`, default 60 s).
   */
  startApp(env?: Record<string, string>, timeoutMs?: number): Promise<void>;
  /** Waits for the service process to be gone (after it killed itself or was killed). */
  appExited(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFilesStack(options: FilesStackOptions): Promise<FilesStack> {
  const tokenKey = randomBytes(32).toString("base64url");
  const appApiToken = randomBytes(24).toString("base64url");
  const bucket = `files-${randomBytes(3).toString("hex")}`;
  const appPort = await freePort();
  const resourcesDir = writeResources(
    options.dir,
    options.appId,
    options.pubsubName,
    options.pubsub,
    ["document.generated"],
  );
  const [seaweed, ferret, daprd] = await Promise.all([
    startSeaweedFs({ dir: options.dir }),
    startFerretDb({ dir: options.dir, backend: options.ferretBackend ?? "sqlite" }),
    startDaprd({
      appId: options.appId,
      appPort,
      resourcesDir,
      dir: options.dir,
      appMaxConcurrency: 1,
      env: { ...process.env, APP_API_TOKEN: appApiToken },
    }),
  ]);
  const databaseUrl = `${ferret.uri}files`;
  const url = `http://127.0.0.1:${appPort}`;
  let app: ManagedProcess | undefined;
  const stack: FilesStack = {
    url,
    appId: options.appId,
    daprd,
    seaweed,
    ferret,
    databaseUrl,
    bucket,
    appApiToken,
    get app() {
      if (!app) throw new Error("the files service is not started");
      return app;
    },
    token: (claims) => signAccessToken(claims, tokenKey),
    async startApp(env = {}, timeoutMs = 60_000) {
      if (app && isAlive(app.pid)) await stopPid(app.pid);
      app = await startProcess({
        name: options.appId,
        dir: options.dir,
        command: process.execPath,
        args: sourceEntry("files", options.dir),
        cwd: repoRoot,
        env: {
          ...process.env,
          PORT: String(appPort),
          SYMBIONT_APP_ID: options.appId,
          SYMBIONT_PUBSUB_INTERNAL: options.pubsubName,
          DATABASE_URL: databaseUrl,
          DAPR_HTTP_PORT: String(daprd.httpPort),
          DAPR_GRPC_PORT: String(daprd.grpcPort),
          OUTBOX_RELAY_INTERVAL_MS: "500",
          APP_API_TOKEN: appApiToken,
          FILES_S3_ENDPOINT: seaweed.endpoint,
          FILES_S3_BUCKET: bucket,
          FILES_S3_ACCESS_KEY_ID: seaweed.accessKeyId,
          FILES_S3_SECRET_ACCESS_KEY: seaweed.secretAccessKey,
          FILES_TOKEN_KEYS: tokenKey,
          ...options.env,
          ...env,
        },
      });
      const started = app;
      await waitUntil(
        `files ${options.appId} ready`,
        async () => (await httpGet({ url: `${url}/readyz` })).status === 200,
        { process: started, timeoutMs },
      );
    },
    async appExited() {
      const current = app;
      if (!current) return;
      await waitUntil(`files ${options.appId} exited`, async () => !isAlive(current.pid), {
        timeoutMs: 20_000,
        intervalMs: 50,
      });
    },
    async stop() {
      if (app) await stopPid(app.pid);
      await daprd.stop();
      await Promise.all([seaweed.stop(), ferret.stop()]);
    },
  };
  await stack.startApp();
  return stack;
}
