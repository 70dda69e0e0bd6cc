import type { Connection } from "mongoose";
import type { Logger } from "pino";
import { connectDatabase, databaseHealthy } from "../data/connect-database.js";
import { createDaprPublisher, type EventPublisher } from "../dapr/dapr-publisher.js";
import { daprSidecarHealthy } from "../dapr/dapr-sidecar-healthy.js";
import { createOutbox, type Outbox } from "../events/outbox.js";
import { createProcessedEvents, type ProcessedEvents } from "../events/processed-events.js";
import type { Readiness } from "../http/health-routes.js";
import { createLogger } from "../log/create-logger.js";
import { createServiceMetrics, type ServiceMetrics } from "../metrics/service-metrics.js";

/** The configuration every service has (see serviceEnv). */
export interface RuntimeConfig {
  SYMBIONT_APP_ID: string;
  SYMBIONT_PUBSUB_INTERNAL: string;
  DATABASE_URL: string;
  DAPR_HOST: string;
  DAPR_HTTP_PORT: number;
  LOG_LEVEL: "fatal" | "error" | "warn" | "info" | "debug" | "trace";
  OUTBOX_RELAY_INTERVAL_MS: number;
}

/** What a service's buildApp needs from the outside world, opened once at start. */
export interface ServiceRuntime {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly connection: Connection;
  readonly outbox: Outbox;
  readonly inbox: ProcessedEvents;
  readonly readiness: Readiness;
  /** Stops the outbox relay and closes the database. */
  close(): Promise<void>;
}

export async function openServiceRuntime(
  config: RuntimeConfig,
  options: { logger?: Logger; publisher?: EventPublisher; defaultMetrics?: boolean } = {},
): Promise<ServiceRuntime> {
  const logger =
    options.logger ?? createLogger({ service: config.SYMBIONT_APP_ID, level: config.LOG_LEVEL });
  const metrics = createServiceMetrics({ defaultMetrics: options.defaultMetrics });
  const connection = await connectDatabase(config.DATABASE_URL);
  const daprUrl = `http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`;
  const publisher =
    options.publisher ??
    createDaprPublisher({
      daprHost: config.DAPR_HOST,
      daprHttpPort: config.DAPR_HTTP_PORT,
      pubsubName: config.SYMBIONT_PUBSUB_INTERNAL,
      source: config.SYMBIONT_APP_ID,
    });
  const outbox = createOutbox({ connection, publisher, logger, metrics });
  outbox.startRelay(config.OUTBOX_RELAY_INTERVAL_MS);
  const readiness: Readiness = {
    draining: false,
    checks: {
      database: () => databaseHealthy(connection),
      dapr: () => daprSidecarHealthy(daprUrl),
    },
  };
  return {
    logger,
    metrics,
    connection,
    outbox,
    inbox: createProcessedEvents(connection),
    readiness,
    async close() {
      await outbox.stop();
      await connection.close();
    },
  };
}
