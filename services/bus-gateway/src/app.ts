import {
  AppError,
  errorMiddleware,
  healthRoutes,
  type Readiness,
  type ServiceMetrics,
} from "@symbiont/service-kit";
import express, { type Express } from "express";
import type { Logger } from "pino";
import type { LedgerRecord } from "./data/ledger-record-model.js";
import type { GatewayContext } from "./domain/gateway-context.js";
import { eventsRoutes } from "./routes/events-routes.js";
import { inboundRoutes } from "./routes/inbound-routes.js";
import { ledgerRoutes } from "./routes/ledger-routes.js";

export interface AppDeps {
  context: GatewayContext;
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: Readiness;
  readLedger: () => Promise<LedgerRecord[]>;
  maxBodyBytes: number;
  /** The token the gateway's sidecar presents on deliveries. */
  appToken: string;
}

/** The gateway's HTTP API; it never listens (main.ts does). Each router parses its own body. */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(deps.metrics.httpMiddleware);
  app.use(healthRoutes(deps.readiness, deps.metrics.registry));
  app.use(
    eventsRoutes(deps.context, {
      maxBodyBytes: deps.maxBodyBytes,
      log: deps.logger,
      appToken: deps.appToken,
    }),
  );
  app.use(inboundRoutes(deps.context, { maxBodyBytes: deps.maxBodyBytes }));
  app.use(ledgerRoutes(deps.context, deps.readLedger));
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
