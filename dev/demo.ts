import { execFileSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { destination, pino } from "pino";
import { loadConfig } from "../operator/src/config.js";
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeClient } from "../operator/src/kube/kube-client.js";
import type { KubeObject } from "../operator/src/kube/kube-object.js";
import { OperatorMetrics } from "../operator/src/metrics/operator-metrics.js";
import { startOperator } from "../operator/src/operator.js";
import { applyManifests, readManifests } from "./harness/apply-manifests.js";
import { startControlPlane } from "./harness/control-plane.js";
import { startFerretDb } from "./harness/ferretdb.js";
import { startSeaweedFs, type SeaweedFs } from "./harness/seaweedfs.js";
import { startProcess, stopPid, stopRecordedProcesses } from "./harness/managed-process.js";
import { freePort, httpGet, waitUntil } from "./harness/probe.js";
import { repoRoot, toolPath, toolsBinDir, toolsCacheDir } from "./harness/tool-paths.js";
import { runAnalyticsScenario } from "./demo/analytics-scenario.js";
import { runCrmMdmScenario } from "./demo/crm-mdm-scenario.js";
import { runFilesScenario } from "./demo/files-scenario.js";
import { runMarketplaceScenario } from "./demo/marketplace-scenario.js";
import { runCallbackScenario } from "./demo/callback-scenario.js";
import { runMeetingScenario } from "./demo/meeting-scenario.js";
import { demoAccount, runFrontOfficeScenario } from "./demo/front-office-scenario.js";
import { runPartnerScenario } from "./demo/partner-scenario.js";
import { localHosts, type LocalHosts } from "./render/local-hosts.js";
import { LocalRunner } from "./local-runner/local-runner.js";
import { gatewayAdminActions, ssoUpstreamRedirectUri } from "@symbiont/contracts";
import { gatewayAdminClient } from "./stack/gateway-admin-client.js";
import { gatewayAdminToken } from "./stack/gateway-admin-token.js";

// `make demo`: the local default (DESIGN "Local default"). A real control plane on loopback,
// the operator against it, samples/ applied, and Symbiont's own services run by the local
// runner from what the operator rendered, with real daprd sidecars on the machine's Redis
// and RabbitMQ and FerretDB over SQLite. Stays up until Ctrl-C (SYMBIONT_DEMO_EXIT=1: exit
// after showing the result, as the test suite does).

const dir = process.env.SYMBIONT_DEMO_DIR ?? join(toolsCacheDir(), "demo");
const namespace = "default";
const say = (line: string) => console.log(line);

const reachable = (port: number) =>
  new Promise<boolean>((resolveReachable) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolveReachable(true)));
    socket.once("error", () => resolveReachable(false));
  });

/** Stops every process a demo started under `root` (also one that crashed), by pid file. */
async function stopEverythingUnder(root: string): Promise<void> {
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isDirectory() && entry.name === "pids") await stopRecordedProcesses(entry.parentPath);
  }
}

async function main(): Promise<void> {
  await stopEverythingUnder(dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "logs"), { recursive: true });
  const logger = pino({ level: "info" }, destination(join(dir, "logs", "operator-and-runner.log")));

  say(
    "1/5 starting the control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)...",
  );
  const controlPlane = await startControlPlane({ dir: join(dir, "cluster"), keepDir: true });
  const kc = controlPlane.kubeConfig();

  say(
    "2/5 starting FerretDB (MongoDB wire protocol over SQLite), SeaweedFS (S3) and checking the brokers...",
  );
  const [ferret, seaweed] = await Promise.all([
    startFerretDb({ dir: join(dir, "ferretdb"), backend: "sqlite" }),
    startSeaweedFs({ dir: join(dir, "seaweedfs") }),
  ]);
  const redis = await reachable(6379);
  const rabbit = await reachable(5672);
  // The demo's corporate bus gets a RabbitMQ vhost of its own, made fresh: exchanges are named
  // after topics, and another user of the broker may hold the same names with other settings.
  const vhost = rabbit ? freshVhost("symbiont-demo") : undefined;
  if (redis) emptyRedisDatabase(demoRedisDb);
  say(
    `    Redis on 127.0.0.1:6379: ${redis ? "yes" : "no"}; RabbitMQ on 127.0.0.1:5672: ${rabbit ? "yes" : "no"}`,
  );

  // The SSO's issuer, the cabinet's redirect URI and the SSO's upstreams (partner-sim's
  // OpenID providers) are configuration: their ports come first.
  const ports = {
    sso: await freePort(),
    "user-cabinet": await freePort(),
    "partner-cabinet": await freePort(),
    "company-partner-cabinet": await freePort(),
  };
  const simPort = await freePort();
  const hosts: LocalHosts = {
    sso: `http://127.0.0.1:${ports.sso}`,
    cabinet: `http://127.0.0.1:${ports["user-cabinet"]}`,
    partners: `http://127.0.0.1:${ports["partner-cabinet"]}`,
    company: `http://127.0.0.1:${ports["company-partner-cabinet"]}`,
    partnerSim: `http://127.0.0.1:${simPort}`,
  };

  say(
    "    starting partner-sim, playing the SMS gateway, the ad system, the e-signature service, the acquirer, and the government and social logins...",
  );
  const sampleObjects = readManifests(join(repoRoot, "samples"));
  const sim = await startPartnerSim(decodeStringData(sampleObjects, "acme-partners"), {
    adminPort: simPort,
    ssoIssuer: hosts.sso,
    ssoSecrets: decodeStringData(sampleObjects, "acme-sso"),
  });

  say("3/5 starting the operator and applying samples/ ...");
  const metrics = new OperatorMetrics();
  const operator = startOperator(
    kc,
    { ...loadConfig({}), leaderElection: false, httpPort: 0 },
    logger,
    metrics,
  );
  const filesTokenKey = randomBytes(32).toString("base64url");
  const ssoAdminToken = randomBytes(24).toString("base64url");
  const samples = sampleObjects.map((object) =>
    localiseFrontOffice(
      localiseFilesStore(
        localise(object, ferret.uri, redis, vhost ?? (rabbit ? "" : undefined), sim.partnerUrls),
        seaweed,
        filesTokenKey,
      ),
      hosts,
      ssoAdminToken,
    ),
  );
  await applyManifests(kc, samples, "symbiont-demo", namespace);

  say(
    "4/5 starting Symbiont's own services with daprd sidecars from what the operator rendered...",
  );
  const runner = new LocalRunner({
    kc,
    kubeconfigPath: controlPlane.kubeconfigPath,
    namespace,
    dir: join(dir, "local"),
    logger,
    ports,
  });
  await runner.start();
  await waitForReady(kc);
  await runner.settled();
  for (const app of runner.apps.values())
    say(`    ${app.appId.padEnd(18)} ${app.url}  (daprd ${app.daprd.url})`);

  say("5/5 the ecosystem at work:\n");
  const running = (appId: string) => {
    const app = runner.apps.get(appId);
    if (!app)
      throw new Error(
        `${appId} is not running locally; see ${join(dir, "local", "apps", appId, "logs")}`,
      );
    return app;
  };
  const mdm = running("mdm");
  const crm = running("crm");
  const gateway = running("acme-bus-gateway");
  {
    say("Master data and CRM (over the internal bus):");
    await runCrmMdmScenario({ mdmUrl: mdm.url, crmUrl: crm.url, log: (line) => say(`  ${line}`) });
  }
  {
    say("\nFile storage (sandboxes, versions, search):");
    await runFilesScenario({
      filesUrl: running("files").url,
      tokenKey: filesTokenKey,
      log: (line) => say(`  ${line}`),
    });
  }
  {
    say("\nA core event crossing the bus gateway to a partner, an outage and the replay:");
    // Published through the processes module's own sidecar, as its reminders are.
    const processes = running("processes").daprd;
    await runPartnerScenario({
      publish: async (topic, payload) => {
        const answer = await fetch(`${processes.url}/v1.0/publish/acme-internal-bus/${topic}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(payload),
        });
        if (!answer.ok)
          throw new Error(`publish ${topic}: HTTP ${answer.status} ${await answer.text()}`);
      },
      partnerSimUrl: sim.adminUrl,
      // The admin API answers callers RBAC allows: a ServiceAccount that may read the ledger.
      gatewayAdmin: gatewayAdminClient(
        `http://127.0.0.1:${gateway.ports.admin}`,
        await gatewayAdminToken(kc, {
          namespace,
          gateway: "acme-bus-gateway",
          name: "demo-ledger-reader",
          actions: [gatewayAdminActions.readLedger],
        }),
      ),
      partner: "sms",
      payload: (n) => ({
        messageId: `demo-${n}`,
        to: "+15550001234",
        text: n === 0 ? "Reminder: your meeting is tomorrow at 10:00" : `Update ${n}`,
        n,
      }),
      log: (line) => say(`  ${line}`),
    });
    say("\nA callback request from the call centre (telephony partner, IVR and queue):");
    await runCallbackScenario({
      processesUrl: running("processes").url,
      adminToken: decodeStringData(sampleObjects, "acme-processes-admin").token ?? "",
      partnerSimUrl: sim.adminUrl,
      telephony: "telephony",
      gatewayUrl: `http://127.0.0.1:${gateway.ports.webhooks}`,
      log: (line) => say(`  ${line}`),
    });
    await new Promise((r) => setTimeout(r, 6000)); // the gateway reports counts every few seconds
  }
  // The user cabinet is simulated by KWOK; its sidecar alone publishes as it would.
  const cabinet = await runner.startSidecar("user-cabinet");
  {
    say("\nA marketplace order paid through the acquiring partner:");
    await runMarketplaceScenario({
      marketplaceUrl: running("marketplace").url,
      adminToken: decodeStringData(sampleObjects, "acme-marketplace")["admin-token"] ?? "",
      partnerSimUrl: sim.adminUrl,
      acquirer: "acquiring",
      gatewayUrl: `http://127.0.0.1:${gateway.ports.webhooks}`,
      cabinetSidecarUrl: cabinet.url,
      corporatePubsub: "acme-corporate-bus",
      log: (line) => say(`  ${line}`),
    });
  }
  {
    say("\nA client meeting (business processes, with the SMS and e-signature partners):");
    await runMeetingScenario({
      crmUrl: crm.url,
      processesUrl: running("processes").url,
      adminToken: decodeStringData(sampleObjects, "acme-processes-admin").token ?? "",
      filesUrl: running("files").url,
      filesTokenKey,
      cabinetSidecarUrl: cabinet.url,
      corporatePubsub: "acme-corporate-bus",
      partnerSimUrl: sim.adminUrl,
      log: (line) => say(`  ${line}`),
    });
    await new Promise((r) => setTimeout(r, 6000)); // the gateway reports counts every few seconds
  }
  {
    say(
      "\nAnalytics (the same events, collected for reports; the order paid above in its cash flow):",
    );
    await runAnalyticsScenario({
      analyticsUrl: running("analytics").url,
      token: decodeStringData(sampleObjects, "acme-analytics-reporting").token ?? "",
      log: (line) => say(`  ${line}`),
    });
  }
  {
    say("\nThe front office (site and user cabinet, signing in through the ecosystem's SSO):");
    await runFrontOfficeScenario({
      siteUrl: running("site").url,
      cabinetUrl: running("user-cabinet").url,
      ssoUrl: running("sso").url,
      ssoAdminToken,
      crmUrl: crm.url,
      log: (line) => say(`  ${line}`),
    });
  }
  say("\nThe ecosystem as kubectl shows it:\n");
  const kubectl = (...args: string[]) =>
    execFileSync(toolPath("kubectl"), args, {
      env: { ...process.env, KUBECONFIG: controlPlane.kubeconfigPath },
      encoding: "utf8",
    });
  say(kubectl("get", "ecosystems,ecosystemmodules", "-n", namespace));
  say(kubectl("get", "partnerintegrations,busroutes", "-n", namespace));
  say("Explore it yourself:");
  say(`  export KUBECONFIG=${controlPlane.kubeconfigPath}`);
  say(`  export PATH=${toolsBinDir()}:$PATH`);
  say("  kubectl describe eco acme; kubectl get emod; kubectl get pods");
  say(`The site: ${running("site").url}  The user cabinet: ${running("user-cabinet").url}`);
  say(
    `The partner cabinet: ${running("partner-cabinet").url}  The company partner cabinet: ${running("company-partner-cabinet").url}`,
  );
  say(`  (sign in as ${demoAccount.email}, password ${demoAccount.password})`);
  say(`Logs: ${join(dir, "logs")} and ${join(dir, "local", "apps")}`);

  const shutdown = async () => {
    await runner.stop();
    await stopPid(sim.pid);
    await operator.stop();
    await Promise.all([ferret.stop(), seaweed.stop()]);
    await controlPlane.stop();
  };
  if (process.env.SYMBIONT_DEMO_EXIT === "1") {
    await shutdown();
    return;
  }
  say("\nRunning; press Ctrl-C to stop everything.");
  await new Promise<void>((resolveSignal) => {
    process.once("SIGINT", () => resolveSignal());
    process.once("SIGTERM", () => resolveSignal());
  });
  say("stopping...");
  await shutdown();
}

/** The demo's Redis database, emptied at start: a stopped run's streams would be delivered again. */
const demoRedisDb = "9";

function emptyRedisDatabase(db: string): void {
  try {
    execFileSync("redis-cli", ["-n", db, "FLUSHDB"], { stdio: "ignore" });
  } catch {
    say(
      `    (redis-cli could not empty Redis database ${db}; a stopped run's events may reappear)`,
    );
  }
}

/** A new, empty RabbitMQ vhost (through rabbitmqctl); undefined (the default vhost) without it. */
function freshVhost(name: string): string | undefined {
  try {
    execFileSync("rabbitmqctl", ["delete_vhost", name], { stdio: "ignore" });
  } catch {
    // did not exist
  }
  try {
    execFileSync("rabbitmqctl", ["add_vhost", name], { stdio: "ignore" });
    execFileSync("rabbitmqctl", ["set_permissions", "-p", name, "guest", ".*", ".*", ".*"], {
      stdio: "ignore",
    });
    return name;
  } catch {
    say(`    (rabbitmqctl could not create the vhost ${name}; using the default vhost)`);
    return undefined;
  }
}

/**
 * partner-sim as a local process, one port per partner of the samples it plays, and the
 * SSO's upstreams (samples/04-front-office.yaml, SSO_UPSTREAMS) as its OpenID providers,
 * whose client is the SSO with the secrets of the samples' acme-sso Secret.
 */
async function startPartnerSim(
  secrets: Record<string, string>,
  sso: { adminPort: number; ssoIssuer: string; ssoSecrets: Record<string, string> },
) {
  const { adminPort } = sso;
  const idps = (["gov", "social"] as const).map((name) => ({
    name,
    kind: name === "gov" ? "government" : "social",
    clients: [
      {
        clientId: "acme-sso",
        clientSecretEnv: `PARTNER_SIM_IDP_${name.toUpperCase()}_SECRET`,
        redirectUris: [ssoUpstreamRedirectUri(sso.ssoIssuer, name)],
      },
    ],
  }));
  const partners: Record<string, string> = {
    sms: "sms",
    messenger: "messenger",
    ads: "ads",
    esign: "industry",
    acquiring: "acquirer",
    telephony: "telephony",
  };
  const ports: Record<string, number> = {};
  for (const name of Object.keys(partners)) ports[name] = await freePort();
  const sim = await startProcess({
    name: "partner-sim",
    dir: join(dir, "partner-sim"),
    command: process.execPath,
    args: [
      "--conditions=symbiont-source",
      "--import",
      "tsx",
      join(repoRoot, "services/partner-sim/src/main.ts"),
      `--instance=${join(dir, "partner-sim")}`,
    ],
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(adminPort),
      PARTNER_SIM_PARTNERS: Object.entries(partners)
        .map(([name, kind]) => `${name}:${kind}@${ports[name]}`)
        .join(","),
      PARTNER_SIM_SECRET_SMS: secrets["sms-hmac"] ?? "",
      PARTNER_SIM_SECRET_MESSENGER: secrets["messenger-hmac"] ?? "",
      PARTNER_SIM_SECRET_ACQUIRING: secrets["acquiring-hmac"] ?? "",
      PARTNER_SIM_SECRET_TELEPHONY: secrets["telephony-hmac"] ?? "",
      PARTNER_SIM_IDPS: JSON.stringify(idps),
      PARTNER_SIM_IDP_GOV_SECRET: sso.ssoSecrets["upstream-gov-secret"] ?? "",
      PARTNER_SIM_IDP_SOCIAL_SECRET: sso.ssoSecrets["upstream-social-secret"] ?? "",
    },
  });
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  await waitUntil(
    "partner-sim ready",
    async () => (await httpGet({ url: `${adminUrl}/readyz` })).status === 200,
    { process: sim },
  );
  const partnerUrls = Object.fromEntries(
    Object.keys(partners).map((name) => [name, `http://127.0.0.1:${ports[name]}/`]),
  );
  return { pid: sim.pid, adminUrl, partnerUrls };
}

function decodeStringData(objects: KubeObject[], secret: string): Record<string, string> {
  const found = objects.find((o) => o.kind === "Secret" && o.metadata.name === secret) as
    (KubeObject & { stringData?: Record<string, string> }) | undefined;
  return found?.stringData ?? {};
}

/**
 * Points the samples at this machine: FerretDB, Redis and RabbitMQ on loopback, and the
 * outbound partners at partner-sim.
 */
function localise(
  object: KubeObject,
  mongoUri: string,
  redis: boolean,
  /** The RabbitMQ vhost to use ("" for the default one), undefined without RabbitMQ. */
  rabbitVhost: string | undefined,
  partnerUrls: Record<string, string>,
): KubeObject {
  const rabbit = rabbitVhost !== undefined;
  const copy = structuredClone(object) as KubeObject & {
    stringData?: Record<string, string>;
    spec?: Record<string, unknown>;
  };
  if (copy.kind === "Secret" && copy.metadata.name === "acme-databases") {
    copy.stringData = Object.fromEntries(
      Object.keys(copy.stringData ?? {}).map((db) => [db, `${mongoUri}${db}`]),
    );
  }
  if (copy.kind === "Secret" && copy.metadata.name === "internal-bus")
    copy.stringData = { redisHost: "127.0.0.1:6379", redisPassword: "" };
  if (copy.kind === "Secret" && copy.metadata.name === "corporate-bus") {
    copy.stringData = {
      connectionString: `amqp://guest:guest@127.0.0.1:5672/${rabbitVhost ?? ""}`,
    };
  }
  // Partners the gateway delivers to (with an endpoint) point at the simulator; the inbound
  // ones (telephony) only call the gateway.
  if (
    copy.kind === "PartnerIntegration" &&
    copy.spec?.endpoint &&
    partnerUrls[copy.metadata.name]
  ) {
    copy.spec.endpoint = partnerUrls[copy.metadata.name];
    copy.spec.allowPlainHttp = true; // the local partner simulator
  }
  if (copy.kind === "Ecosystem" && copy.spec && redis) {
    // Streams are named after topics too: a Redis database of the demo's own.
    const internal = copy.spec.internalBus as { settings?: Record<string, string> };
    internal.settings = { ...internal.settings, redisDB: demoRedisDb };
  }
  if (copy.kind === "Ecosystem" && copy.spec) {
    // Without a broker, Dapr's in-memory pub/sub: one process only (the gateway runs once).
    if (!redis) copy.spec.internalBus = { type: "in-memory" };
    if (!rabbit) copy.spec.corporateBus = { type: "in-memory" };
    if (!redis || !rabbit) copy.spec.gateway = { ...(copy.spec.gateway as object), replicas: 1 };
  }
  return copy;
}

/** The files module's store: the demo's SeaweedFS, its keys, and a fresh token key. */
function localiseFilesStore(object: KubeObject, seaweed: SeaweedFs, tokenKey: string): KubeObject {
  if (object.kind !== "Secret" || object.metadata.name !== "acme-files-store") return object;
  return {
    ...object,
    stringData: {
      endpoint: seaweed.endpoint,
      bucket: "acme-files",
      accessKeyId: seaweed.accessKeyId,
      secretAccessKey: seaweed.secretAccessKey,
      tokenKeys: tokenKey,
    },
  } as KubeObject;
}

/** The SSO's keys made fresh for this run, and the example hosts replaced by local URLs. */
function localiseFrontOffice(
  object: KubeObject,
  hosts: LocalHosts,
  adminToken: string,
): KubeObject {
  if (object.kind === "Secret" && object.metadata.name === "acme-sso") {
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      format: "jwk",
    });
    const sample = (object as KubeObject & { stringData?: Record<string, string> }).stringData;
    return {
      ...object,
      stringData: {
        // The upstreams' client secrets as the samples give them (partner-sim takes the same).
        "upstream-gov-secret": sample?.["upstream-gov-secret"] ?? "",
        "upstream-social-secret": sample?.["upstream-social-secret"] ?? "",
        "signing-keys": JSON.stringify({
          keys: [{ ...key, kid: "demo", alg: "ES256", use: "sig" }],
        }),
        "cookie-keys": randomBytes(32).toString("base64url"),
        "cabinet-session-keys": randomBytes(32).toString("base64url"),
        "admin-token": adminToken,
      },
    } as KubeObject;
  }
  if (object.kind !== "EcosystemModule") return object;
  const copy = structuredClone(object) as KubeObject & {
    spec: { env?: { name: string; value?: string }[] };
  };
  for (const entry of copy.spec.env ?? [])
    if (entry.value !== undefined) entry.value = localHosts(entry.value, hosts);
  return copy;
}

async function waitForReady(kc: KubeConfig): Promise<void> {
  const client = new KubeClient(kc);
  const deadline = Date.now() + 120_000;
  try {
    while (Date.now() < deadline) {
      const eco = await client.get<
        KubeObject & { status?: { conditions?: { type: string; status: string }[] } }
      >({
        apiVersion: "symbiont.dev/v1alpha1",
        kind: "Ecosystem",
        namespace,
        name: "acme",
      });
      if (eco?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(
      "the acme Ecosystem did not become Ready within 2 minutes; see the operator log",
    );
  } finally {
    client.close();
  }
}

main().catch(async (error: Error) => {
  console.error(`demo failed: ${error.message}`);
  await stopEverythingUnder(dir);
  console.error(`logs: ${join(dir, "logs")} and ${join(dir, "local", "apps")}`);
  // The in-process operator's watches would keep the process alive.
  process.exit(1);
});
