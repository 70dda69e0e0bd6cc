import { KubeConfig } from "@kubernetes/client-node";
import { loadConfig } from "./config.js";
import { startHealthServer } from "./http/health-server.js";
import { startTopologyServer } from "./http/topology-server.js";
import { createLogger } from "./logger.js";
import { OperatorMetrics } from "./metrics/operator-metrics.js";
import { startOperator } from "./operator.js";

// Wiring only. Runs with the current KUBECONFIG (make run) or in-cluster.

let config;
try {
  config = loadConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const logger = createLogger(config.logLevel);
const kc = new KubeConfig();
kc.loadFromDefault();
const metrics = new OperatorMetrics();
const operator = startOperator(kc, config, logger, metrics);
const server = await startHealthServer(config.httpPort, config.httpHost, {
  ready: operator.ready,
  registry: metrics.registry,
});
const topology =
  config.topologyPort === undefined
    ? undefined
    : await startTopologyServer(config.topologyPort, config.httpHost, operator.topology);
logger.info(
  {
    server: kc.getCurrentCluster()?.server,
    identity: config.identity,
    leaderElection: config.leaderElection,
    http: config.httpPort,
    topology: config.topologyPort ?? "off",
  },
  "symbiont operator started",
);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "stopping");
  await topology?.close();
  await operator.stop();
  server.close();
  logger.info("stopped");
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

const result = await operator.done;
if (result === "lost" && !stopping) {
  // Another replica may already be reconciling: stop at once rather than race it.
  logger.error("leader lease lost; exiting so the process restarts as a candidate");
  process.exit(1);
}
