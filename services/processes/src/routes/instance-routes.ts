import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import type { CallerLocals } from "../auth/require-caller.js";
import { instanceStatuses } from "../data/instance-store.js";
import type { ProcessesDeps } from "../domain/processes-deps.js";
import type { ProcessEngine } from "../domain/process-engine.js";
import { notFound } from "../errors.js";

const startBody = z.strictObject({
  definition: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, "a definition key"),
  businessKey: z.string().min(1).max(200).optional(),
  variables: z.record(z.string().regex(/^[A-Za-z_]\w{0,63}$/), z.unknown()).default({}),
});
const listQuery = z.object({
  status: z.enum(instanceStatuses).optional(),
  definition: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Instances: started by an admin (or by bus events), read with where they wait. */
export function instanceRoutes(deps: ProcessesDeps, engine: ProcessEngine): Router {
  const router = Router();
  router.post("/instances", async (req, res) => {
    const body = parseInput(startBody, req.body, "body");
    const { caller } = res.locals as CallerLocals;
    const { instance, created } = await engine.start({
      definitionKey: body.definition,
      variables: body.variables,
      ...(body.businessKey ? { businessKey: body.businessKey } : {}),
      startedBy: `caller:${caller.name}`,
    });
    res.status(created ? 201 : 200).json({ instance, created });
  });
  router.get("/instances", async (req, res) => {
    const query = parseInput(listQuery, req.query, "query");
    const instances = await deps.instances.list(
      {
        ...(query.status ? { status: query.status } : {}),
        ...(query.definition ? { definitionKey: query.definition } : {}),
      },
      query.limit,
    );
    res.json({ instances });
  });
  router.get("/instances/:id", async (req, res) => {
    const instance = await deps.instances.get(String(req.params.id));
    if (!instance) throw notFound(`process instance ${req.params.id}`);
    const tasks = await deps.tasks.list({ instanceId: instance.id });
    res.json({ instance, tasks });
  });
  return router;
}
