import express, { type Express, type Router } from "express";
import type { Logger } from "pino";
import { AppError } from "../errors/app-error.js";
import { errorMiddleware } from "../errors/error-middleware.js";
import type { ServiceMetrics } from "../metrics/service-metrics.js";
import { healthRoutes, type Readiness } from "./health-routes.js";

export interface ServiceAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: Readiness;
  routers: Router[];
  maxBodyBytes?: number;
}

/**
 * The express app every service shares: metrics timing, a bounded JSON body parser (also
 * for CloudEvents), health and metrics routes, the service's routers, a JSON 404 and the
 * one error middleware. It never listens (main.ts does).
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(options.metrics.httpMiddleware);
  app.use(
    express.json({
      limit: options.maxBodyBytes ?? 102_400,
      type: ["application/json", "application/*+json"],
    }),
  );
  app.use(healthRoutes(options.readiness, options.metrics.registry));
  for (const router of options.routers) app.use(router);
  app.use((req, _res, next) => {
    next(
      new AppError({
        status: 404,
        code: "NotFound",
        message: `no route ${req.method} ${req.path}`,
      }),
    );
  });
  app.use(errorMiddleware(options.logger));
  return app;
}
