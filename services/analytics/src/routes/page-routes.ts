import { AppError, parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { reportPage } from "../charts/report-page.js";
import { notLoaded, type AnalyticsService } from "../domain/analytics-service.js";
import { cashFlow } from "../domain/cash-flow.js";
import { forecast } from "../domain/forecast.js";
import { planVsFact } from "../domain/plan-vs-fact.js";
import { reportQuerySchema } from "./report-query.js";

/** `GET /reports/page`: the charts as one HTML page (server-rendered SVG, no script). */
export function pageRoutes(analytics: AnalyticsService): Router {
  const router = Router();
  const { deps } = analytics;
  const query = reportQuerySchema(deps.currency, deps.now);
  router.get("/reports/page", async (req, res) => {
    const { window } = parseInput(query, req.query, "query");
    if (!analytics.loaded()) throw notLoaded();
    const state = analytics.state();
    const nowMs = deps.now();
    const today = Math.floor(nowMs / 86_400_000);
    const plans = (await deps.plans.list()).filter((p) => p.from <= today && today <= p.to);
    let income: ReturnType<typeof forecast> | string;
    try {
      income = forecast(
        state,
        {
          metric: "income",
          granularity: "day",
          horizon: 14,
          history: 365,
          currency: window.currency,
        },
        nowMs,
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      income = `No forecast yet: ${error.message}.`;
    }
    res.type("text/html; charset=utf-8").send(
      reportPage({
        cash: cashFlow(state, window),
        plans: planVsFact(state, plans, nowMs, deps.currency),
        forecast: income,
      }),
    );
  });
  return router;
}
