import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import type { CrmService } from "../domain/crm-service.js";
import { toTouchpoint } from "../domain/to-touchpoint.js";
import { touchpointInputSchema } from "../domain/touchpoint.js";

const batchSchema = z.strictObject({ touchpoints: z.array(touchpointInputSchema).min(1).max(500) });

/** Touchpoints entered through the API (a site back end, a manager's screen, an import). */
export function touchpointRoutes(crm: CrmService): Router {
  const router = Router();
  const { deps } = crm;
  router.post("/touchpoints", async (req, res) => {
    const input = parseInput(touchpointInputSchema, req.body, "body");
    const touchpoint = toTouchpoint(input, deps.newId(), deps.now(), deps.defaultCountryCode);
    const resolution = await crm.queue.submit(touchpoint);
    res.status(resolution.outcome === "duplicate" ? 200 : 201).json(resolution);
  });
  router.post("/touchpoints/batch", async (req, res) => {
    const { touchpoints } = parseInput(batchSchema, req.body, "body");
    const now = deps.now();
    const resolutions = await crm.queue.submitMany(
      touchpoints.map((input) => toTouchpoint(input, deps.newId(), now, deps.defaultCountryCode)),
    );
    res.status(201).json({ resolutions });
  });
  return router;
}
