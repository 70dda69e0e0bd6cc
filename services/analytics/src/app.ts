import { randomUUID } from "node:crypto";
import { createServiceApp, type ServiceRuntime } from "@symbiont/service-kit";
import { Router, type Express } from "express";
import { openEventLog } from "./data/event-log.js";
import { openOfferStore } from "./data/offer-store.js";
import { openPlanStore } from "./data/plan-store.js";
import { openRejectedEvents } from "./data/rejected-events.js";
import { createAnalyticsService, type AnalyticsService } from "./domain/analytics-service.js";
import type { Caller } from "./http/callers.js";
import { requireCaller } from "./http/require-caller.js";
import { eventRoutes } from "./routes/event-routes.js";
import { forecastRoutes } from "./routes/forecast-routes.js";
import { offerRoutes } from "./routes/offer-routes.js";
import { pageRoutes } from "./routes/page-routes.js";
import { planRoutes } from "./routes/plan-routes.js";
import { reportRoutes } from "./routes/report-routes.js";

/** Where the reports API lives (the admin's routes under /admin check their own role). */
export const apiPaths = [
  "/reports",
  "/forecasts",
  "/plans",
  "/offer-rules",
  "/customers",
  "/segments",
];

export interface AnalyticsAppOptions {
  runtime: ServiceRuntime;
  callers: readonly Caller[];
  currency?: string;
  defaultCountryCode?: string;
  maxBodyBytes?: number;
  now?: () => number;
}

/**
 * The analytics app (MISSION C5). Never listens. The figures are rebuilt from the event log
 * in the background (`analytics.load()`): until then `/readyz` says so and the reports answer
 * 503, so a large log does not hold back the liveness probe.
 */
export function buildApp(options: AnalyticsAppOptions): {
  app: Express;
  analytics: AnalyticsService;
} {
  const { runtime } = options;
  const analytics = createAnalyticsService({
    log: openEventLog(runtime.connection),
    rejected: openRejectedEvents(runtime.connection),
    plans: openPlanStore(runtime.connection),
    offers: openOfferStore(runtime.connection),
    outbox: runtime.outbox,
    logger: runtime.logger,
    now: options.now ?? Date.now,
    newId: randomUUID,
    defaultCountryCode: options.defaultCountryCode ?? "7",
    currency: options.currency ?? "RUB",
  });
  runtime.readiness.checks.reports = async () => analytics.loaded();
  const readers = requireCaller(options.callers, "reader");
  const planners = requireCaller(options.callers, "planner");
  const admins = requireCaller(options.callers, "admin");
  const app = createServiceApp({
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    maxBodyBytes: options.maxBodyBytes,
    routers: [
      eventRoutes(analytics, { logger: runtime.logger, metrics: runtime.metrics, admins }),
      // The reports API is for known callers only; other paths (the sidecar's /dapr/*) are not.
      Router().use(apiPaths, readers),
      reportRoutes(analytics),
      pageRoutes(analytics),
      forecastRoutes(analytics),
      planRoutes(analytics, planners),
      offerRoutes(analytics, { planners, admins }),
    ],
  });
  return { app, analytics };
}
