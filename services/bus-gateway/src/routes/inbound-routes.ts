import { defaultWebhookToleranceMs, WebhookReplayGuard } from "@symbiont/contracts";
import express, { Router } from "express";
import type { GatewayContext } from "../domain/gateway-context.js";
import { receiveInbound, type InboundGuards } from "../domain/receive-inbound.js";
import { TokenBucket } from "../domain/token-bucket.js";

// Partner webhooks. The body is read raw: the HMAC signature is over the exact bytes.

export function inboundRoutes(context: GatewayContext, options: { maxBodyBytes: number }): Router {
  const limiters = new Map(
    [...context.routes.partners.values()].map((partner) => [
      partner.name,
      new TokenBucket(partner.rateLimit.requestsPerSecond, partner.rateLimit.burst),
    ]),
  );
  // Webhook ids are remembered for the longest tolerance of any partner: after it, a replay's
  // timestamp refuses it. One replica's memory; across replicas the ledger's idempotency
  // still publishes a message once.
  const tolerances = [...context.routes.partners.values()].map((partner) =>
    partner.auth.type === "hmac" ? partner.auth.toleranceMs : 0,
  );
  const guards: InboundGuards = {
    limiters,
    replays: new WebhookReplayGuard(Math.max(defaultWebhookToleranceMs, ...tolerances)),
  };
  const router = Router();
  router.post(
    "/inbound/:partner",
    express.raw({ limit: options.maxBodyBytes, type: () => true }),
    async (req, res, next) => {
      const partner = String(req.params.partner);
      try {
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([key, value]) => [
            key,
            Array.isArray(value) ? value[0] : value,
          ]),
        );
        const topicHeader =
          headers["x-symbiont-topic"] ??
          (typeof req.query.topic === "string" ? req.query.topic : undefined);
        const answer = await receiveInbound(context, guards, {
          partner,
          body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          headers,
          topic: topicHeader,
        });
        context.counters.inbound(partner, answer.duplicate ? "duplicate" : "published");
        res
          .status(answer.status)
          .json({ id: answer.id, topic: answer.topic, duplicate: answer.duplicate });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        context.counters.inbound(
          context.routes.partners.has(partner) ? partner : "unknown",
          typeof code === "string" ? code : "error",
        );
        next(error);
      }
    },
  );
  return router;
}
