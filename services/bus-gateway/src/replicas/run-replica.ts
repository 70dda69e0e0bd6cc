import type { KubeConfig } from "@kubernetes/client-node";
import { LeaderElector } from "@symbiont/contracts";
import type { RunningService } from "@symbiont/service-kit";
import type { Logger } from "pino";
import type { GatewayConfig, LeaseConfig } from "../config.js";
import { startGateway } from "../start-gateway.js";
import {
  activeEndpoints,
  endpointsAnnotation,
  endpointsOf,
  gatewayLeaseClient,
  type GatewayEndpoints,
} from "./gateway-lease.js";
import { startStandby } from "./standby.js";

// One of several gateway replicas. The ledger has one writer, so one replica is active: the
// one holding the gateway's Lease. The others stand by: they take what reaches them and pass
// it to the active one, and when its Lease is released (a rolling update) or runs out (its
// pod died) one of them takes it, reads the ledger back and carries on. A replica that cannot
// renew the Lease in time exits at once, without writing anything more: its successor may
// already be writing.

export async function runReplica(
  config: GatewayConfig,
  lease: LeaseConfig,
  kube: KubeConfig,
  logger: Logger,
  shutdownTimeoutMs = 25_000,
): Promise<void> {
  const ports = { http: config.port, webhooks: config.publicPort, admin: config.adminPort };
  const elector = new LeaderElector(
    gatewayLeaseClient(kube, config.file.namespace, lease.name),
    {
      namespace: config.file.namespace,
      name: lease.name,
      identity: lease.identity,
      leaseDurationSeconds: lease.durationSeconds,
      renewDeadlineSeconds: (lease.durationSeconds * 2) / 3,
      retryPeriodSeconds: lease.durationSeconds / 5,
      annotations: { [endpointsAnnotation]: JSON.stringify(endpointsOf(lease.host, ports)) },
    },
    logger,
  );
  // Parsed once per Lease annotation seen, not on every forwarded request.
  let seen: { text: string | undefined; endpoints: GatewayEndpoints | undefined } | undefined;
  const standby = await startStandby({
    ports,
    active: () => {
      const leader = elector.leader;
      if (!leader || leader.identity === lease.identity) return undefined;
      const text = leader.annotations[endpointsAnnotation];
      if (!seen || seen.text !== text) seen = { text, endpoints: activeEndpoints(leader) };
      return seen.endpoints;
    },
    logger,
  });
  const stopping = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "stopping");
    setTimeout(() => {
      logger.error({ timeoutMs: shutdownTimeoutMs }, "shutdown took too long, exiting");
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    stopping.abort();
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  logger.info(
    { lease: lease.name, identity: lease.identity },
    "standing by for the gateway's Lease",
  );
  const outcome = await elector.run(stopping.signal, async (leading) => {
    await standby.close();
    const lost = () => {
      if (stopping.signal.aborted) return;
      logger.fatal("the gateway's Lease was lost: exiting without another write");
      process.exit(1);
    };
    leading.addEventListener("abort", lost, { once: true });
    const service: RunningService = await startGateway(config);
    if (!leading.aborted)
      await new Promise<void>((resolve) =>
        leading.addEventListener("abort", () => resolve(), { once: true }),
      );
    // A clean stop: finish what is in flight and checkpoint, then the Lease is released.
    await service.shutdown("SIGTERM");
  });
  if (outcome === "stopped") {
    await standby.close();
    process.exit(0);
  }
  logger.fatal("the gateway's Lease was lost");
  process.exit(1);
}
