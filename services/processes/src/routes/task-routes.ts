import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import type { CallerLocals } from "../auth/require-caller.js";
import type { ProcessesDeps } from "../domain/processes-deps.js";
import type { ProcessEngine } from "../domain/process-engine.js";
import { kpiOf } from "../domain/task-service.js";
import { entityIdSchema, taskStatuses } from "../domain/task.js";
import { forbidden } from "../errors.js";

const listQuery = z.object({
  status: z.enum(taskStatuses).optional(),
  assignee: z.string().min(1).max(128).optional(),
});
const completeBody = z.strictObject({
  /** Checklist items ticked now (others keep what they were). */
  done: z.array(z.string().min(1).max(200)).max(100).default([]),
});

/** Tasks: a manager sees and completes their own; an admin anyone's. */
export function taskRoutes(deps: ProcessesDeps, engine: ProcessEngine): Router {
  const router = Router();
  router.get("/tasks", async (req, res) => {
    const query = parseInput(listQuery, req.query, "query");
    const { caller } = res.locals as CallerLocals;
    if (caller.role !== "admin" && query.assignee && query.assignee !== caller.name)
      throw forbidden(`${caller.name} may list only their own tasks`);
    const assignee = caller.role === "admin" ? query.assignee : caller.name;
    const tasks = await deps.tasks.list({
      ...(assignee ? { assignee } : {}),
      ...(query.status ? { status: query.status } : {}),
    });
    res.json({ tasks });
  });
  router.post("/tasks/:id/complete", async (req, res) => {
    const body = parseInput(completeBody, req.body ?? {}, "body");
    const { caller } = res.locals as CallerLocals;
    const task = await engine.completeTask(String(req.params.id), caller, body.done);
    res.json({ task });
  });
  router.get("/kpis/:managerId", async (req, res) => {
    const { managerId } = parseInput(z.object({ managerId: entityIdSchema }), req.params, "params");
    const { caller } = res.locals as CallerLocals;
    if (caller.role !== "admin" && managerId !== caller.name)
      throw forbidden(`${caller.name} may read only their own KPIs`);
    res.json({ kpi: await kpiOf(deps, managerId) });
  });
  return router;
}
