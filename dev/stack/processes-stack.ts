import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { parseGatewayFile, type GatewayFile } from "@symbiont/bus-gateway";
import { signAccessToken, type AccessClaims } from "@symbiont/files";
import { startPartnerSim, type PartnerSim } from "@symbiont/partner-sim";
import { readManifests } from "../harness/apply-manifests.js";
import { startDaprd, type Daprd } from "../harness/daprd.js";
import { startFerretDb, type FerretDb } from "../harness/ferretdb.js";
import { isAlive, startProcess, stopPid, type ManagedProcess } from "../harness/managed-process.js";
import { freePort, httpGet, waitUntil } from "../harness/probe.js";
import { startSeaweedFs, type SeaweedFs } from "../harness/seaweedfs.js";
import { repoRoot } from "../harness/tool-paths.js";
import {
  startGatewayProcess,
  startRedis,
  type Redis,
  type RunningGateway,
} from "./gateway-stack.js";
import { gatewaySecretEnv, writeSamplesResources } from "./samples-stack.js";
import { sourceEntry, startModule, type RunningModule } from "./service-stack.js";

// The client-meeting process (MISSION C4, T1) with everything it crosses, as samples/ declares
// it and the operator's own functions render it: the processes module (a process that tests
// kill and start again on the same sidecar and database), CRM, files on a SeaweedFS store, the
// bus gateway with the samples' routes and partners, partner-sim playing the SMS gateway, the
// messenger, the e-signature service and the telephony (its callback requests go to the
// gateway's /inbound/telephony once the test sets its callback URL), and the user cabinet's
// sidecar on the corporate bus. Both buses on
// a Redis of the stack's own, every database on one FerretDB over PostgreSQL.

export interface ProcessesStack {
  readonly file: GatewayFile;
  readonly processes: { url: string; daprd: Daprd; readonly process: ManagedProcess };
  readonly crm: RunningModule;
  readonly files: RunningModule;
  readonly gateway: RunningGateway;
  readonly sim: PartnerSim;
  /** The user cabinet's sidecar (publishes meeting.booked on the corporate bus). */
  readonly userCabinet: Daprd;
  /** Bearer tokens of the processes API's callers: `admin`, and managers by id. */
  readonly tokens: Record<string, string>;
  /** A token for the files API. */
  filesToken(claims: AccessClaims): Promise<string>;
  /** Kills the processes module (SIGKILL) and starts it again on the same sidecar. */
  killAndRestartProcesses(env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export interface ProcessesStackOptions {
  dir: string;
  /** Managers (and approvers) who get a token, besides `admin`. */
  managers: string[];
  /** Processes module environment on top of the stack's. */
  env?: Record<string, string>;
}

export async function startProcessesStack(options: ProcessesStackOptions): Promise<ProcessesStack> {
  const { dir } = options;
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const [redis, ferret, seaweed, sim] = await Promise.all([
      startRedis(dir),
      startFerretDb({ dir, backend: "postgresql" }),
      startSeaweedFs({ dir }),
      startPartnerSim(
        {
          adminPort: 0,
          host: "127.0.0.1",
          partners: [
            {
              name: "sms",
              kind: "sms",
              port: 0,
              secret: sampleSecret("acme-partners", "sms-hmac"),
            },
            {
              name: "messenger",
              kind: "messenger",
              port: 0,
              secret: sampleSecret("acme-partners", "messenger-hmac"),
            },
            { name: "esign", kind: "industry", port: 0 },
            {
              name: "telephony",
              kind: "telephony",
              port: 0,
              secret: sampleSecret("acme-partners", "telephony-hmac"),
            },
          ],
        },
        { logLevel: "silent" },
      ),
    ]);
    started.push(redis as Redis, ferret as FerretDb, seaweed as SeaweedFs, sim);
    const { resourcesDir, rendered } = writeSamplesResources(dir, {
      redisPort: redis.port,
      partnerUrl: (partner) =>
        ["sms", "messenger", "esign"].includes(partner)
          ? sim.partnerUrl(partner)
          : "http://127.0.0.1:9",
    });
    const file = parseGatewayFile(JSON.stringify(rendered.gatewayFile));
    const tokenKey = randomBytes(32).toString("base64url");
    const module = (service: "crm" | "files", env: Record<string, string> = {}) =>
      startModule({
        service,
        appId: service,
        dir,
        databaseUrl: `${ferret.uri}${service}`,
        pubsubName: file.internalPubsub,
        pubsub: "in-memory",
        resourcesDir,
        env: { SYMBIONT_ECOSYSTEM: file.ecosystem, LOG_LEVEL: "warn", ...env },
      });
    const processesPort = await freePort();
    const [gateway, crm, files, userCabinet, processesSidecar] = await Promise.all([
      startGatewayProcess({
        dir,
        resourcesDir,
        file,
        databaseUrl: `${ferret.uri}ledger`,
        env: gatewaySecretEnv(rendered),
      }),
      module("crm"),
      module("files", {
        FILES_S3_ENDPOINT: seaweed.endpoint,
        FILES_S3_BUCKET: "acme-files",
        FILES_S3_ACCESS_KEY_ID: seaweed.accessKeyId,
        FILES_S3_SECRET_ACCESS_KEY: seaweed.secretAccessKey,
        FILES_TOKEN_KEYS: tokenKey,
      }),
      startDaprd({ appId: "user-cabinet", resourcesDir, dir }),
      startDaprd({
        appId: "processes",
        appPort: processesPort,
        resourcesDir,
        dir,
        appMaxConcurrency: 1,
      }),
    ]);
    started.push(gateway, crm, files, userCabinet, processesSidecar);
    const tokens = Object.fromEntries(
      ["admin", ...options.managers].map((name) => [name, randomBytes(24).toString("base64url")]),
    );
    const callers = Object.entries(tokens)
      .map(([name, token]) => {
        const hash = createHash("sha256").update(token).digest("hex");
        return `${name === "admin" ? "processes-admin" : name}:${name === "admin" ? "admin" : "manager"}:${hash}`;
      })
      .join("\n");
    const url = `http://127.0.0.1:${processesPort}`;
    let app: ManagedProcess | undefined;
    const startApp = async (env: Record<string, string> = {}) => {
      app = await startProcess({
        name: "processes",
        dir,
        command: process.execPath,
        args: sourceEntry("processes", dir),
        cwd: repoRoot,
        env: {
          ...process.env,
          PORT: String(processesPort),
          SYMBIONT_APP_ID: "processes",
          SYMBIONT_ECOSYSTEM: file.ecosystem,
          SYMBIONT_PUBSUB_INTERNAL: file.internalPubsub,
          DATABASE_URL: `${ferret.uri}processes`,
          DAPR_HTTP_PORT: String(processesSidecar.httpPort),
          DAPR_GRPC_PORT: String(processesSidecar.grpcPort),
          OUTBOX_RELAY_INTERVAL_MS: "500",
          LOG_LEVEL: "warn",
          PROCESSES_CALLERS: callers,
          PROCESSES_OVERDUE_CHECK_MS: "1000",
          ...options.env,
          ...env,
        },
      });
      const current = app;
      await waitUntil(
        "processes ready",
        async () => (await httpGet({ url: `${url}/readyz` })).status === 200,
        { process: current, timeoutMs: 60_000 },
      );
    };
    await startApp();
    started.push({ stop: async () => (app ? stopPid(app.pid) : undefined) });
    return {
      file,
      processes: {
        url,
        daprd: processesSidecar,
        get process() {
          return app!;
        },
      },
      crm,
      files,
      gateway,
      sim,
      userCabinet,
      tokens,
      filesToken: (claims) => signAccessToken(claims, tokenKey),
      async killAndRestartProcesses(env) {
        const current = app!;
        process.kill(current.pid, "SIGKILL");
        await waitUntil("processes killed", async () => !isAlive(current.pid), {
          timeoutMs: 20_000,
          intervalMs: 50,
        });
        await startApp(env);
      },
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

/** A value of one of the samples' Secrets. */
function sampleSecret(name: string, key: string): string {
  const secret = readManifests(join(repoRoot, "samples")).find(
    (o) => o.kind === "Secret" && o.metadata.name === name,
  ) as { stringData?: Record<string, string> } | undefined;
  const value = secret?.stringData?.[key];
  if (!value) throw new Error(`samples/: Secret ${name} has no ${key}`);
  return value;
}

async function stopAll(started: Array<{ stop(): Promise<void> }>): Promise<void> {
  for (const part of started.reverse()) await part.stop().catch(() => undefined);
}
