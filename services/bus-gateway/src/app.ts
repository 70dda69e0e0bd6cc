import {
  AppError,
  errorMiddleware,
  healthRoutes,
  type Readiness,
  type ServiceMetrics,
} from "@symbiont/service-kit";
import express, { type Express, type Router } from "express";
import type { Logger } from "pino";
import type { AccessReviewer, AdminAction } from "./auth/admin-access.js";
import { requireAdmin } from "./auth/require-admin.js";
import type { RecordStore } from "./domain/ledger.js";
import type { GatewayContext } from "./domain/gateway-context.js";
import { eventsRoutes } from "./routes/events-routes.js";
import { inboundRoutes } from "./routes/inbound-routes.js";
import { ledgerRoutes } from "./routes/ledger-routes.js";

export interface AppDeps {
  context: GatewayContext;
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: Readiness;
  /** The ledger as the database holds it, for the audit. */
  ledgerStore: Pick<RecordStore, "streamAll" | "readCompacted" | "findRecords">;
  maxBodyBytes: number;
  /** The token the gateway's sidecar presents on deliveries. */
  appToken: string;
  /** Decides who may use the admin API; undefined: nobody can (503). */
  reviewer: AccessReviewer | undefined;
}

/**
 * The gateway's three HTTP faces, each on its own port (main.ts listens):
 * - `app`: what its Dapr sidecar calls (`/events/*`, with the sidecar's token), probes, metrics;
 * - `publicApp`: partner webhooks (`/inbound/*`) and nothing else: the only one in the Service;
 * - `adminApp`: dead letters, replay and the ledger, for callers RBAC allows.
 */
export function buildApps(deps: AppDeps): { app: Express; publicApp: Express; adminApp: Express } {
  const app = face(deps, [
    deps.metrics.httpMiddleware,
    healthRoutes(deps.readiness, deps.metrics.registry),
    eventsRoutes(deps.context, {
      maxBodyBytes: deps.maxBodyBytes,
      log: deps.logger,
      appToken: deps.appToken,
    }),
  ]);
  const publicApp = face(deps, [
    deps.metrics.httpMiddleware,
    inboundRoutes(deps.context, { maxBodyBytes: deps.maxBodyBytes }),
  ]);
  const target = { namespace: deps.context.file.namespace, gateway: deps.context.appId };
  const gate = (action: AdminAction) => requireAdmin(deps.reviewer, target, action, deps.logger);
  const adminApp = face(deps, [
    deps.metrics.httpMiddleware,
    ledgerRoutes(deps.context, deps.ledgerStore, gate),
  ]);
  return { app, publicApp, adminApp };
}

function face(deps: AppDeps, handlers: Array<Router | express.RequestHandler>): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  // Answers are never cached or asked again conditionally: no ETag to hash per response.
  app.set("etag", false);
  for (const handler of handlers) app.use(handler);
  app.use((req, _res, next) =>
    next(
      new AppError({
        status: 404,
        code: "NotFound",
        message: `no route ${req.method} ${req.path}`,
      }),
    ),
  );
  app.use(errorMiddleware(deps.logger));
  return app;
}
