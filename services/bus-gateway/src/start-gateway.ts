import {
  connectDatabase,
  createLogger,
  createServiceMetrics,
  databaseHealthy,
  runService,
  type RunningService,
} from "@symbiont/service-kit";
import type { LevelWithSilent } from "pino";
import { buildApp } from "./app.js";
import type { GatewayConfig } from "./config.js";
import { ledgerRecordModel } from "./data/ledger-record-model.js";
import { LedgerStore } from "./data/ledger-store.js";
import { replayDeadLetters } from "./domain/dead-letters.js";
import type { GatewayContext } from "./domain/gateway-context.js";
import { Ledger } from "./domain/ledger.js";
import { PartnerDispatcher } from "./domain/partner-dispatcher.js";
import { createPartnerSender, type SendToPartner } from "./domain/partner-sender.js";
import { RouteTable } from "./domain/route-table.js";
import { SchemaValidator } from "./domain/schema-validator.js";
import { createDaprBus, type Bus } from "./events/dapr-bus.js";
import { kubeAccess } from "./kube/kube-access.js";
import { StatusReporter } from "./kube/status-reporter.js";
import { createMetrics } from "./metrics.js";
import { Registry } from "prom-client";

function timedBus(bus: Bus, observe: (pubsub: string, seconds: number) => void): Bus {
  return {
    ...bus,
    async publish(pubsub, topic, event) {
      const started = performance.now();
      await bus.publish(pubsub, topic, event);
      observe(pubsub, (performance.now() - started) / 1000);
    },
  };
}

function timedSender(
  send: SendToPartner,
  observe: (partner: string, outcome: string, seconds: number) => void,
): SendToPartner {
  return async (partner, entry) => {
    const started = performance.now();
    const outcome = await send(partner, entry);
    observe(partner.name, outcome.kind, (performance.now() - started) / 1000);
    return outcome;
  };
}

// Wiring: database -> ledger (read back) -> dispatchers -> HTTP -> sidecar -> delivery
// and status reporting. Shutdown runs the other way and lets group commits finish.

export async function startGateway(
  config: GatewayConfig,
  options: { bus?: Bus; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningService> {
  const logger = createLogger({ service: config.appId, level: config.logLevel as LevelWithSilent });
  const connection = await connectDatabase(config.databaseUrl);
  const gatewayMetrics = createMetrics();
  const store = new LedgerStore(ledgerRecordModel(connection), gatewayMetrics.observeFlush);
  const ledger = new Ledger(store);
  await ledger.load();
  logger.info({ entries: ledger.size }, "ledger read back");
  const routes = new RouteTable(config.file);
  const validator = new SchemaValidator();
  for (const route of config.file.routes) {
    const problem = route.schema && validator.add(route.name, route.schema);
    if (problem) {
      gatewayMetrics.skipRoute(route.name);
      logger.error(
        { route: route.name, topic: route.topic, err: problem },
        "route skipped: its schema does not compile; its messages become dead letters",
      );
    }
  }
  const bus = timedBus(
    options.bus ?? createDaprBus(config.daprGrpcPort, config.daprHttpPort),
    gatewayMetrics.observePublish,
  );
  const send = timedSender(
    createPartnerSender(bus, config.partnerSecrets),
    gatewayMetrics.observeDelivery,
  );
  const dispatchers = new Map(
    config.file.partners
      .filter((partner) => partner.direction !== "inbound")
      .map((partner) => [partner.name, new PartnerDispatcher(partner, ledger, send, logger)]),
  );
  gatewayMetrics.watch(ledger, dispatchers);
  const serviceMetrics = createServiceMetrics({ defaultMetrics: false });
  const metrics = {
    ...serviceMetrics,
    registry: Registry.merge([gatewayMetrics.registry, serviceMetrics.registry]),
  };
  const context: GatewayContext = {
    file: config.file,
    appId: config.appId,
    routes,
    validator,
    ledger,
    bus,
    dispatchers,
    signingKey: config.signingKey,
    partnerSecrets: config.partnerSecrets,
    counters: gatewayMetrics.counters,
  };
  const sidecarReady = { value: false };
  const readiness = {
    checks: {
      database: () => databaseHealthy(connection),
      sidecar: async () => sidecarReady.value,
    },
    draining: false,
  };
  const kube = kubeAccess(options.env);
  const reporter = kube
    ? new StatusReporter(
        kube.config,
        config.file.namespace,
        ledger,
        dispatchers,
        logger,
        config.statusIntervalMs,
        config.file.ecosystem,
        (request) => replayDeadLetters(context, request),
      )
    : undefined;
  if (kube)
    logger.info({ source: kube.source }, "reporting delivery status to PartnerIntegrations");
  else logger.info("status reporting off: no KUBECONFIG and not in a cluster");
  const service = await runService({
    app: buildApp({
      context,
      logger,
      metrics,
      readiness,
      readLedger: () => store.readAll(),
      maxBodyBytes: config.maxBodyBytes,
    }),
    port: config.port,
    logger,
    readiness,
    onShutdown: [
      async () => reporter?.stop(),
      async () =>
        Promise.all([...dispatchers.values()].map((dispatcher) => dispatcher.stop())).then(
          () => undefined,
        ),
      () => store.drained(),
      () => connection.close(),
      () => bus.close(),
    ],
  });
  // Deliveries need the sidecar; the HTTP side must listen first (Dapr waits for the app).
  void bus.ready().then(
    () => {
      sidecarReady.value = true;
      for (const dispatcher of dispatchers.values()) dispatcher.start();
      reporter?.start();
      logger.info(
        {
          partners: [...dispatchers.keys()],
          routes: config.file.routes.map((route) => route.name),
        },
        "gateway ready",
      );
    },
    (error: unknown) =>
      logger.error({ err: (error as Error).message }, "the Dapr sidecar did not start"),
  );
  return service;
}
