import {
  closeServer,
  connectDatabase,
  createLogger,
  createServiceMetrics,
  databaseHealthy,
  listen,
  portOf,
  runService,
  type RunningService,
} from "@symbiont/service-kit";
import type { LevelWithSilent } from "pino";
import { buildApps } from "./app.js";
import { cachingReviewer, staticTokenReviewer } from "./auth/admin-access.js";
import { kubeReviewer } from "./auth/kube-reviewer.js";
import type { GatewayConfig } from "./config.js";
import { ledgerRecordModel } from "./data/ledger-record-model.js";
import { LedgerStore } from "./data/ledger-store.js";
import { listDeadLetters, replayDeadLetters } from "./domain/dead-letters.js";
import type { GatewayContext } from "./domain/gateway-context.js";
import { Ledger } from "./domain/ledger.js";
import { deadLetterOrphans } from "./domain/orphaned-entries.js";
import { publishWaitingInbound } from "./domain/receive-inbound.js";
import { PartnerDispatcher } from "./domain/partner-dispatcher.js";
import { createPartnerSender, type SendToPartner } from "./domain/partner-sender.js";
import { RouteTable } from "./domain/route-table.js";
import { SchemaValidator } from "./domain/schema-validator.js";
import { createDaprBus, type Bus } from "./events/dapr-bus.js";
import { loadedComponents, neededComponents, SidecarWatch } from "./events/sidecar-components.js";
import { kubeAccess } from "./kube/kube-access.js";
import { RedeliveryRunner } from "./kube/redeliveries.js";
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

/** How long an inbound message recorded but not published waits for its partner's retry. */
const inboundGraceMs = 60_000;

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
  const ledger = new Ledger(store, {
    onCheckpointError: (error) =>
      logger.warn(
        { err: (error as Error).message },
        "ledger checkpoint not written; the next start reads more records, retried later",
      ),
  });
  const loading = performance.now();
  await ledger.load();
  logger.info(
    {
      open: ledger.size,
      segment: ledger.segment,
      ms: Math.round(performance.now() - loading),
    },
    "ledger read back: open entries from the last checkpoint and the records written since",
  );
  // A checkpoint each minute something was written: the next start reads less.
  const checkpoints = setInterval(() => {
    if (ledger.written) void ledger.checkpoint().catch(() => undefined);
  }, 60_000);
  checkpoints.unref();
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
  const orphans = await deadLetterOrphans(ledger, new Set(dispatchers.keys()));
  if (orphans.length > 0)
    logger.warn(
      { entries: orphans.length, partners: [...new Set(orphans.map((entry) => entry.target))] },
      "pending entries of partners that are gone are dead letters now (PartnerRemoved)",
    );
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
    inboundPublishing: new Map(),
    dropsReplaying: new Map(),
    signingKey: config.signingKey,
    partnerSecrets: config.partnerSecrets,
    partnerPreviousSecrets: config.partnerPreviousSecrets,
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
        new SidecarWatch(neededComponents(config.file), () =>
          loadedComponents(config.daprHttpPort),
        ),
      )
    : undefined;
  if (kube)
    logger.info({ source: kube.source }, "reporting delivery status to PartnerIntegrations");
  else logger.info("status reporting off: no KUBECONFIG and not in a cluster");
  const redeliveries = kube
    ? new RedeliveryRunner(
        kube.config,
        config.file.namespace,
        config.file.ecosystem,
        {
          select: (filter) => listDeadLetters(context, filter).map((entry) => entry.key),
          replay: (keys) => replayDeadLetters(context, { keys }),
        },
        logger,
        config.statusIntervalMs,
      )
    : undefined;
  // From the start, not once the sidecar answers: a sidecar that never answers is reported.
  reporter?.start();
  // The ledger stays bounded: delivered entries past the retention become per-day counts,
  // at start and every hour.
  const compact = () =>
    ledger.compact(config.file.ledgerRetentionMs).then(
      (counts) => {
        if (counts.length > 0)
          logger.info(
            { entries: counts.reduce((sum, count) => sum + count.count, 0), days: counts.length },
            "delivered ledger entries past the retention kept as per-day counts",
          );
      },
      (error: unknown) =>
        logger.warn({ err: (error as Error).message }, "ledger compaction failed; retried later"),
    );
  await compact();
  const compaction = setInterval(() => void compact(), 3_600_000);
  compaction.unref();
  // Inbound messages recorded but never published (a publish that failed, a stop in
  // between) are published by the gateway itself once they have waited a minute.
  let inboundSweep: NodeJS.Timeout | undefined;
  const sweepInbound = () =>
    publishWaitingInbound(context, inboundGraceMs).then(
      (published) => {
        if (published > 0) logger.info({ published }, "waiting inbound messages published");
      },
      (error: unknown) =>
        logger.warn(
          { err: (error as Error).message },
          "publishing waiting inbound messages failed",
        ),
    );
  const reviewer = config.adminToken
    ? staticTokenReviewer(config.adminToken)
    : kube
      ? cachingReviewer(kubeReviewer(kube.config, config.file.namespace, config.appId))
      : undefined;
  logger.info(
    { reviewer: reviewer?.describe ?? "none: the admin API answers 503" },
    "admin API callers checked by",
  );
  const apps = buildApps({
    context,
    logger,
    metrics,
    readiness,
    ledgerStore: store,
    maxBodyBytes: config.maxBodyBytes,
    appToken: config.appToken,
    reviewer,
  });
  const publicServer = await listen(apps.publicApp, config.publicPort);
  const adminServer = await listen(apps.adminApp, config.adminPort);
  logger.info(
    { publicPort: portOf(publicServer), adminPort: portOf(adminServer) },
    "webhooks and admin API listening",
  );
  const service = await runService({
    app: apps.app,
    port: config.port,
    logger,
    readiness,
    onShutdown: [
      async () => clearInterval(compaction),
      async () => clearInterval(inboundSweep),
      async () => clearInterval(checkpoints),
      () => closeServer(publicServer),
      () => closeServer(adminServer),
      async () => redeliveries?.stop(),
      async () => reporter?.stop(),
      async () =>
        Promise.all([...dispatchers.values()].map((dispatcher) => dispatcher.stop())).then(
          () => undefined,
        ),
      () => store.drained(),
      // The next start reads nothing but this checkpoint.
      () => ledger.checkpoint().catch(() => undefined),
      () => connection.close(),
      () => bus.close(),
    ],
  });
  // Deliveries need the sidecar; the HTTP side must listen first (Dapr waits for the app).
  void bus.ready().then(
    () => {
      sidecarReady.value = true;
      for (const dispatcher of dispatchers.values()) dispatcher.start();
      reporter?.allowReplay();
      redeliveries?.start();
      void sweepInbound();
      inboundSweep = setInterval(() => void sweepInbound(), 15_000);
      inboundSweep.unref();
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
