import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { destination, pino } from "pino";
import { loadConfig } from "../operator/src/config.js";
import type { KubeObject } from "../operator/src/kube/kube-object.js";
import { OperatorMetrics } from "../operator/src/metrics/operator-metrics.js";
import { startOperator } from "../operator/src/operator.js";
import { applyManifests, readManifests } from "../test/harness/apply-manifests.js";
import { startControlPlane } from "../test/harness/control-plane.js";
import { startFerretDb } from "../test/harness/ferretdb.js";
import { stopRecordedProcesses } from "../test/harness/managed-process.js";
import { repoRoot, toolPath, toolsBinDir, toolsCacheDir } from "../test/harness/tool-paths.js";
import { LocalRunner } from "./local-runner/local-runner.js";

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

async function main(): Promise<void> {
  await stopRecordedProcesses(dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "logs"), { recursive: true });
  const logger = pino({ level: "info" }, destination(join(dir, "logs", "operator-and-runner.log")));

  say(
    "1/5 starting the control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)...",
  );
  const controlPlane = await startControlPlane({ dir: join(dir, "cluster"), keepDir: true });
  const kc = controlPlane.kubeConfig();

  say("2/5 starting FerretDB (MongoDB wire protocol over SQLite) and checking the brokers...");
  const ferret = await startFerretDb({ dir: join(dir, "ferretdb"), backend: "sqlite" });
  const redis = await reachable(6379);
  const rabbit = await reachable(5672);
  say(
    `    Redis on 127.0.0.1:6379: ${redis ? "yes" : "no"}; RabbitMQ on 127.0.0.1:5672: ${rabbit ? "yes" : "no"}`,
  );

  say("3/5 starting the operator and applying samples/ ...");
  const metrics = new OperatorMetrics();
  const operator = startOperator(
    kc,
    { ...loadConfig({}), leaderElection: false, httpPort: 0 },
    logger,
    metrics,
  );
  const samples = readManifests(join(repoRoot, "samples")).map((object) =>
    localise(object, ferret.uri, redis, rabbit),
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
  });
  await runner.start();
  await waitForReady(kc);
  await runner.settled();
  for (const app of runner.apps.values())
    say(`    ${app.appId.padEnd(18)} ${app.url}  (daprd ${app.daprd.url})`);

  say("5/5 the ecosystem as kubectl shows it:\n");
  const kubectl = (...args: string[]) =>
    execFileSync(toolPath("kubectl"), args, {
      env: { ...process.env, KUBECONFIG: controlPlane.kubeconfigPath },
      encoding: "utf8",
    });
  say(kubectl("get", "ecosystems,ecosystemmodules", "-n", namespace));
  say(kubectl("get", "components.dapr.io,subscriptions.dapr.io", "-n", namespace));
  say("Explore it yourself:");
  say(`  export KUBECONFIG=${controlPlane.kubeconfigPath}`);
  say(`  export PATH=${toolsBinDir()}:$PATH`);
  say("  kubectl describe eco acme; kubectl get emod; kubectl get pods");
  say(`Logs: ${join(dir, "logs")} and ${join(dir, "local", "apps")}`);

  const shutdown = async () => {
    await runner.stop();
    await operator.stop();
    await ferret.stop();
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

/** Points the sample Secrets at this machine: FerretDB, Redis and RabbitMQ on loopback. */
function localise(
  object: KubeObject,
  mongoUri: string,
  redis: boolean,
  rabbit: boolean,
): KubeObject {
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
    copy.stringData = { connectionString: "amqp://guest:guest@127.0.0.1:5672" };
  }
  if (copy.kind === "Ecosystem" && copy.spec) {
    // Without a broker, Dapr's in-memory pub/sub: one process only (the gateway runs once).
    if (!redis) copy.spec.internalBus = { type: "in-memory" };
    if (!rabbit) copy.spec.corporateBus = { type: "in-memory" };
    if (!redis || !rabbit) copy.spec.gateway = { ...(copy.spec.gateway as object), replicas: 1 };
  }
  return copy;
}

async function waitForReady(
  kc: ReturnType<Awaited<ReturnType<typeof startControlPlane>>["kubeConfig"]>,
): Promise<void> {
  const { KubeClient } = await import("../operator/src/kube/kube-client.js");
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

main().catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  console.error(`logs: ${join(dir, "logs")} and ${join(dir, "local", "apps")}`);
  process.exitCode = 1;
});
