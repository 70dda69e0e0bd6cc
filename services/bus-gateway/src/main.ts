import { exitOnSignals } from "@symbiont/service-kit";
import { pino } from "pino";
import { ConfigError, loadGatewayConfig } from "./config.js";
import { kubeAccess } from "./kube/kube-access.js";
import { runReplica } from "./replicas/run-replica.js";
import { startGateway } from "./start-gateway.js";

const log = pino({ base: { service: "bus-gateway" } });
try {
  const config = loadGatewayConfig();
  const kube = config.lease && kubeAccess();
  if (config.lease && !kube)
    throw new ConfigError(
      "SYMBIONT_GATEWAY_LEASE: replicas elect the active one on a Kubernetes Lease, and there is no Kubernetes API (no KUBECONFIG, not in a cluster)",
    );
  if (config.lease && kube) {
    await runReplica(config, config.lease, kube.config, log);
  } else {
    const service = await startGateway(config);
    exitOnSignals(service, log);
  }
} catch (error) {
  log.fatal(
    { err: error instanceof ConfigError ? error.message : error },
    error instanceof ConfigError
      ? `invalid configuration: ${error.message}`
      : "the gateway could not start",
  );
  process.exit(1);
}
