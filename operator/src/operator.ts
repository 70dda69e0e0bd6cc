import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { OperatorConfig } from "./config.js";
import { ecosystemController } from "./controllers/ecosystem/ecosystem-controller.js";
import { GatewayReviewers } from "./controllers/ecosystem/gateway-reviewers.js";
import { moduleController } from "./controllers/module/module-controller.js";
import { partnerController } from "./controllers/partner/partner-controller.js";
import { routeController } from "./controllers/route/route-controller.js";
import { createCaches, type ControllerContext } from "./controllers/shared/caches.js";
import type { TopologySource } from "./http/topology-server.js";
import { KubeClient } from "./kube/kube-client.js";
import type { OperatorMetrics } from "./metrics/operator-metrics.js";
import { kubeLeaseClient, LeaderElector } from "./runtime/leader-election.js";
import { Manager } from "./runtime/manager.js";

// Wiring only: each controller declares what it owns and watches beside its reconcile; the
// manager runs their caches everywhere and the controllers behind leader election.

export interface RunningOperator {
  /** True once every cache has synced (readiness). */
  ready(): boolean;
  isLeader(): boolean;
  /** Resolves when the operator stops: "stopped" on request, "lost" when the lease was lost. */
  done: Promise<"stopped" | "lost">;
  stop(): Promise<void>;
  client: KubeClient;
  /** The caches' Ecosystems, modules, partners and routes, for the topology page. */
  topology: TopologySource;
}

export function startOperator(
  kc: KubeConfig,
  config: OperatorConfig,
  logger: Logger,
  metrics: OperatorMetrics,
): RunningOperator {
  const client = new KubeClient(kc, {
    qps: config.kubeQps,
    burst: config.kubeBurst,
    onRequest: metrics.recordRequest,
  });
  const manager = new Manager(client, {
    namespace: config.watchNamespace,
    workers: config.workers,
    identity: config.identity,
    logger,
    metrics,
  });
  const context: ControllerContext = {
    ...createCaches(manager),
    children: manager.children,
    status: manager.status,
    reviewers: new GatewayReviewers(client, logger),
    gatewayImage: config.gatewayImage,
  };
  metrics.readiness.collect("Ecosystem", () => context.ecosystems.list());
  metrics.readiness.collect("EcosystemModule", () => context.modules.list());
  metrics.readiness.collect("PartnerIntegration", () => context.partners.list());
  metrics.readiness.collect("BusRoute", () => context.routes.list());
  manager.add(ecosystemController(context));
  manager.add(moduleController(context));
  manager.add(partnerController(context));
  manager.add(routeController(context));

  const stopping = new AbortController();
  const cachesRunning = manager.runCaches(stopping.signal);
  let leading = false;
  const lead = async (signal: AbortSignal) => {
    await manager.waitForSync();
    leading = true;
    metrics.leader.set(1);
    await manager.runControllers(signal);
    leading = false;
    metrics.leader.set(0);
  };

  const done: Promise<"stopped" | "lost"> = config.leaderElection
    ? new LeaderElector(
        kubeLeaseClient(client, config.lease.namespace, config.lease.name),
        {
          namespace: config.lease.namespace,
          name: config.lease.name,
          identity: config.identity,
          leaseDurationSeconds: config.lease.durationSeconds,
          renewDeadlineSeconds: config.lease.renewDeadlineSeconds,
          retryPeriodSeconds: config.lease.retryPeriodSeconds,
        },
        logger,
      ).run(stopping.signal, lead)
    : lead(stopping.signal).then(() => "stopped" as const);

  const topology: TopologySource = {
    scope: config.watchNamespace ? `namespace ${config.watchNamespace}` : "all namespaces",
    objects: () => ({
      ecosystems: context.ecosystems.list(),
      modules: context.modules.list(),
      partners: context.partners.list(),
      routes: context.routes.list(),
    }),
    onChange: (listener) => {
      context.ecosystems.onChange(listener);
      context.modules.onChange(listener);
      context.partners.onChange(listener);
      context.routes.onChange(listener);
    },
  };

  return {
    ready: () => manager.synced(),
    topology,
    isLeader: () => leading,
    done,
    client,
    stop: async () => {
      stopping.abort();
      await done;
      await Promise.allSettled(cachesRunning);
      client.close();
    },
  };
}
