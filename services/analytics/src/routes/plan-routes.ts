import { notFound, parseInput } from "@symbiont/service-kit";
import { Router, type RequestHandler } from "express";
import { z } from "zod";
import type { AnalyticsService } from "../domain/analytics-service.js";
import { plainId, planInputSchema } from "../domain/plan.js";
import type { CallerLocals } from "../http/require-caller.js";

const idParams = z.strictObject({ id: plainId });

/** Plans for a period (MISSION C5 "present"): read by readers, written by planners. */
export function planRoutes(analytics: AnalyticsService, planners: RequestHandler): Router {
  const router = Router();
  const { plans } = analytics.deps;
  router.get("/plans", async (_req, res) => {
    res.json({ plans: await plans.list() });
  });
  router.get("/plans/:id", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    const plan = await plans.get(id);
    if (!plan) throw notFound(`plan ${id}`);
    res.json(plan);
  });
  router.put("/plans/:id", planners, async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    const { period, ...input } = parseInput(planInputSchema, req.body, "body");
    const saved = await plans.save({
      id,
      ...input,
      period: period.key,
      from: period.from,
      to: period.to,
      updatedAt: new Date(analytics.deps.now()).toISOString(),
      updatedBy: (res.locals as CallerLocals).caller.name,
    });
    res.status(saved.version === 1 ? 201 : 200).json(saved);
  });
  router.delete("/plans/:id", planners, async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    if (!(await plans.remove(id))) throw notFound(`plan ${id}`);
    res.status(204).end();
  });
  return router;
}
