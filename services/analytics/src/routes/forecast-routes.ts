import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import { notLoaded, type AnalyticsService } from "../domain/analytics-service.js";
import { forecast, forecastMetrics } from "../domain/forecast.js";
import { currencyCode } from "../domain/plan.js";
import { cachedReport } from "../domain/report-cache.js";
import { formats } from "./report-query.js";
import { sendReport } from "./send-report.js";

const params = z.strictObject({ metric: z.enum(forecastMetrics) });

/** Income or sales ahead (MISSION C5 "future"), with the back-test against the naive forecast. */
export function forecastRoutes(analytics: AnalyticsService): Router {
  const router = Router();
  const { deps } = analytics;
  const query = z.strictObject({
    granularity: z.enum(["day", "week", "month"]).default("day"),
    horizon: z.coerce.number().int().min(1).max(366).default(14),
    history: z.coerce.number().int().min(4).max(1_100).default(365),
    currency: currencyCode.default(deps.currency),
    format: z.enum(formats).default("json"),
  });
  router.get("/forecasts/:metric", (req, res) => {
    const { metric } = parseInput(params, req.params, "params");
    const { format, ...options } = parseInput(query, req.query, "query");
    if (!analytics.loaded()) throw notLoaded();
    const nowMs = deps.now();
    // The forecast starts at today's bucket: the day is part of the question.
    const key = `forecast:${metric}:${JSON.stringify(options)}:${Math.floor(nowMs / 86_400_000)}`;
    const reads = metric === "income" ? (["money"] as const) : (["orders"] as const);
    const report = cachedReport(analytics.state(), key, reads, () =>
      forecast(analytics.state(), { metric, ...options }, nowMs),
    );
    if (format === "json") res.json(report);
    else sendReport(res, "csv", { report: `forecast-${metric}`, rows: report.forecast });
  });
  return router;
}
