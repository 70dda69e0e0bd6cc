import { randomUUID } from "node:crypto";
import { webhookSignatureHeaders } from "@symbiont/contracts";
import { AppError, parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import { failureModeSchema } from "../domain/failure-mode.js";
import type { PartnerEndpoint } from "../domain/partner-endpoint.js";

// The admin API: switch a partner's failure mode, read what it received, send a signed
// webhook from it (to the bus gateway's /inbound/<partner>).

const webhookSchema = z.object({
  url: z.url(),
  payload: z.unknown(),
  topic: z.string().optional(),
  idempotencyKey: z.string().optional(),
});

export function adminRoutes(endpoints: ReadonlyMap<string, PartnerEndpoint>): Router {
  const router = Router();
  const find = (name: string): PartnerEndpoint => {
    const endpoint = endpoints.get(name);
    if (!endpoint)
      throw new AppError({
        status: 404,
        code: "NotFound",
        message: `partner ${name} does not exist`,
      });
    return endpoint;
  };
  const describe = (endpoint: PartnerEndpoint) => ({
    name: endpoint.partner.name,
    kind: endpoint.partner.kind,
    url: endpoint.url,
    mode: endpoint.mode,
    ...endpoint.log.stats(),
  });
  router.get("/admin/partners", (_req, res) => {
    res.json({ partners: [...endpoints.values()].map(describe) });
  });
  router.get("/admin/partners/:name", (req, res) => {
    res.json(describe(find(req.params.name)));
  });
  router.put("/admin/partners/:name/mode", async (req, res) => {
    const endpoint = find(req.params.name);
    await endpoint.setMode(parseInput(failureModeSchema, req.body, "body"));
    res.json(describe(endpoint));
  });
  router.get("/admin/partners/:name/received", (req, res) => {
    const endpoint = find(req.params.name);
    res.json({
      ...endpoint.log.stats(),
      messages: endpoint.log.messages({ uniqueOnly: req.query.unique === "true" }),
    });
  });
  router.delete("/admin/partners/:name/received", (req, res) => {
    find(req.params.name).log.reset();
    res.status(204).end();
  });
  router.post("/admin/partners/:name/webhook", async (req, res) => {
    const endpoint = find(req.params.name);
    const input = parseInput(webhookSchema, req.body, "body");
    const body = JSON.stringify(input.payload ?? null);
    const headers: Record<string, string> = { "content-type": "application/json" };
    const id = input.idempotencyKey ?? randomUUID();
    headers["idempotency-key"] = id;
    if (input.topic) headers["x-symbiont-topic"] = input.topic;
    if (endpoint.partner.secret) {
      if (!input.topic)
        throw new AppError({
          status: 400,
          code: "InvalidInput",
          message: "body.topic: required to sign the webhook (the topic is part of what is signed)",
        });
      Object.assign(
        headers,
        webhookSignatureHeaders({ id, topic: input.topic, body }, endpoint.partner.secret),
      );
    }
    const answer = await fetch(input.url, { method: "POST", headers, body });
    res.json({ status: answer.status, body: (await answer.json().catch(() => null)) as unknown });
  });
  return router;
}
