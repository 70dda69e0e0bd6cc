import { parseInput } from "@symbiont/service-kit";
import { Router, type Request } from "express";
import { z } from "zod";
import type { AnalyticsService } from "../domain/analytics-service.js";
import { notLoaded } from "../domain/analytics-service.js";
import { cashFlow } from "../domain/cash-flow.js";
import { dealsByChannel } from "../domain/deals-by-channel.js";
import { funnel } from "../domain/funnel.js";
import { planVsFact } from "../domain/plan-vs-fact.js";
import { teamPerformance } from "../domain/team-performance.js";
import { dayKey, epochDay, parseDay } from "../domain/calendar.js";
import type { DataScope } from "../domain/analytics-state.js";
import { cachedReport } from "../domain/report-cache.js";
import { formats, reportQuerySchema } from "./report-query.js";
import { sendReport } from "./send-report.js";

const planVsFactQuery = z.strictObject({
  at: z
    .string()
    .refine((text) => parseDay(text) !== undefined, "expected a date as YYYY-MM-DD")
    .optional(),
  format: z.enum(formats).default("json"),
});

/** Past (cash flow, deals by channel, funnel) and present (plan vs fact, tasks and KPI). */
export function reportRoutes(analytics: AnalyticsService): Router {
  const router = Router();
  const { deps } = analytics;
  const query = reportQuerySchema(deps.currency, deps.now);
  const cached = <T>(name: string, window: object, reads: DataScope[], compute: () => T) =>
    cachedReport(analytics.state(), `${name}:${JSON.stringify(window)}`, reads, compute);
  const read = (req: Request) => {
    const parsed = parseInput(query, req.query, "query");
    if (!analytics.loaded()) throw notLoaded();
    return parsed;
  };
  router.get("/reports/cash-flow", (req, res) => {
    const { window, format } = read(req);
    sendReport(
      res,
      format,
      cached("cash-flow", window, ["money"], () => cashFlow(analytics.state(), window)),
    );
  });
  router.get("/reports/deals-by-channel", (req, res) => {
    const { window, format } = read(req);
    sendReport(
      res,
      format,
      cached("deals", window, ["people", "orders"], () =>
        dealsByChannel(analytics.state(), window),
      ),
    );
  });
  router.get("/reports/funnel", (req, res) => {
    const { window, format } = read(req);
    sendReport(
      res,
      format,
      cached("funnel", window, ["people", "orders", "meetings"], () =>
        funnel(analytics.state(), window),
      ),
    );
  });
  router.get("/reports/team-performance", (req, res) => {
    const { window, format } = read(req);
    sendReport(res, format, teamPerformance(analytics.state(), window, deps.now()));
  });
  /** What analytics has collected so far: events applied, by topic. */
  router.get("/reports/collected", (_req, res) => {
    if (!analytics.loaded()) throw notLoaded();
    const byTopic = Object.fromEntries(
      [...analytics.state().eventsByTopic].sort(([a], [b]) => a.localeCompare(b)),
    );
    res.json({ events: Object.values(byTopic).reduce((a, b) => a + b, 0), byTopic });
  });
  /** Plans whose period holds `at` (today by default), each against its fact so far. */
  router.get("/reports/plan-vs-fact", async (req, res) => {
    const { at, format } = parseInput(planVsFactQuery, req.query, "query");
    if (!analytics.loaded()) throw notLoaded();
    const day = at === undefined ? epochDay(deps.now()) : parseDay(at)!;
    const plans = (await deps.plans.list()).filter((plan) => plan.from <= day && day <= plan.to);
    const nowMs = Math.min(deps.now(), (day + 1) * 86_400_000 - 1);
    const rows = planVsFact(analytics.state(), plans, nowMs, deps.currency);
    sendReport(res, format, { report: "plan-vs-fact", at: dayKey(day), rows });
  });
  return router;
}
