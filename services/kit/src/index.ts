export { loadConfig, ConfigError } from "./config/load-config.js";
export { serviceEnv } from "./config/service-env.js";
export { createLogger } from "./log/create-logger.js";
export {
  AppError,
  badRequest,
  conflict,
  notFound,
  type AppErrorOptions,
} from "./errors/app-error.js";
export { errorMiddleware, toAppError } from "./errors/error-middleware.js";
export { parseInput } from "./http/parse-input.js";
export { healthRoutes, type Readiness } from "./http/health-routes.js";
export { createServiceApp, type ServiceAppOptions } from "./http/create-service-app.js";
export { createServiceMetrics, type ServiceMetrics } from "./metrics/service-metrics.js";
export { createDaprPublisher, type EventPublisher } from "./dapr/dapr-publisher.js";
export { daprSidecarHealthy } from "./dapr/dapr-sidecar-healthy.js";
export { cloudEventSchema, type CloudEvent } from "@symbiont/contracts";
export { type OutgoingEvent } from "./events/outgoing-event.js";
export { createOutbox, type Outbox } from "./events/outbox.js";
export { createProcessedEvents, type ProcessedEvents } from "./events/processed-events.js";
export { subscriptionRoute, type SubscriptionOptions } from "./events/subscription-route.js";
export { connectDatabase, databaseHealthy, isDuplicateKey } from "./data/connect-database.js";
export {
  runService,
  exitOnSignals,
  closeServer,
  listen,
  portOf,
  type RunningService,
} from "./lifecycle/run-service.js";
export {
  openServiceRuntime,
  type RuntimeConfig,
  type ServiceRuntime,
} from "./lifecycle/open-service-runtime.js";
