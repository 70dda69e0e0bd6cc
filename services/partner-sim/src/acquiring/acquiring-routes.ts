import { AppError, parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import type { PartnerEndpoint } from "../domain/partner-endpoint.js";
import { Acquirer } from "./acquirer.js";

// The acquiring personality's admin API, for every partner of kind `acquirer`: its
// settings (where callbacks go, automatic or manual capture), its payments, and the calls
// a test or a demo makes as the acquirer's staff would (capture, refund, replay a callback).

const settingsBody = z.strictObject({
  callbackUrl: z.url().optional(),
  capture: z.enum(["auto", "manual"]).optional(),
});
const refundBody = z.strictObject({
  amount: z.number().positive().optional(),
  reason: z.string().max(500).optional(),
});
const replayBody = z.strictObject({ fresh: z.boolean().default(false) });

export function acquiringRoutes(
  endpoints: ReadonlyMap<string, PartnerEndpoint>,
  logger: Logger,
): Router {
  const acquirers = new Map(
    [...endpoints.values()]
      .filter((endpoint) => endpoint.partner.kind === "acquirer")
      .map((endpoint) => [endpoint.partner.name, new Acquirer(endpoint, logger)]),
  );
  const find = (name: string): Acquirer => {
    const acquirer = acquirers.get(name);
    if (!acquirer)
      throw new AppError({
        status: 404,
        code: "NotFound",
        message: `no acquiring partner ${name}`,
      });
    return acquirer;
  };
  const router = Router();
  router.put("/admin/partners/:name/acquiring", (req, res) => {
    const acquirer = find(req.params.name);
    const body = parseInput(settingsBody, req.body, "body");
    acquirer.settings = { ...acquirer.settings, ...body };
    res.json(acquirer.settings);
  });
  router.get("/admin/partners/:name/payments", (req, res) => {
    res.json({ payments: [...find(req.params.name).payments.values()] });
  });
  router.post("/admin/partners/:name/payments/:paymentId/capture", async (req, res) => {
    res.json(await find(req.params.name).capture(req.params.paymentId));
  });
  router.post("/admin/partners/:name/payments/:paymentId/refunds", async (req, res) => {
    const { amount, reason } = parseInput(refundBody, req.body ?? {}, "body");
    res.json(await find(req.params.name).refund(req.params.paymentId, amount, reason));
  });
  router.post("/admin/partners/:name/payments/:paymentId/callbacks/replay", async (req, res) => {
    const { fresh } = parseInput(replayBody, req.body ?? {}, "body");
    res.json(await find(req.params.name).replay(req.params.paymentId, fresh));
  });
  return router;
}
