import express, { Router } from "express";
import type { GatewayContext } from "../domain/gateway-context.js";
import { handleBusMessage } from "../domain/handle-bus-message.js";
import { cloudEventSchema } from "@symbiont/contracts";
import { requireSidecarToken } from "../auth/require-sidecar-token.js";

// Dapr delivers subscribed messages here (`/events/<topic>`, CloudEvents in structured
// mode). The answer follows Dapr's contract: SUCCESS once the ledger write is durable,
// DROP for what the gateway does not take (Dapr moves it to the dead-letter topic), and a
// 500 (retry) when the ledger or the other bus is unavailable. Only the gateway's own sidecar
// may deliver: a call without its app API token is refused (401) before the body is read.

export function eventsRoutes(
  context: GatewayContext,
  options: {
    maxBodyBytes: number;
    appToken: string;
    log: {
      warn(fields: object, message: string): void;
      debug(fields: object, message: string): void;
    };
  },
): Router {
  const router = Router();
  router.post(
    "/events/:topic",
    requireSidecarToken(options.appToken),
    express.json({ limit: options.maxBodyBytes, type: ["application/json", "application/*+json"] }),
    async (req, res) => {
      const topic = String(req.params.topic);
      const parsed = cloudEventSchema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({
          status: "DROP",
          error: {
            code: "NotACloudEvent",
            message: `body: ${parsed.error.issues[0]?.path.join(".") || "(root)"}: ${parsed.error.issues[0]?.message}`,
          },
        });
        return;
      }
      try {
        const answer = await handleBusMessage(context, topic, parsed.data);
        const pubsub = parsed.data.pubsubname ?? "unknown";
        if (answer.status === "DROP") {
          context.counters.received(pubsub, topic, "dropped");
          res
            .status(404)
            .json({ status: "DROP", error: { code: "UnknownTopic", message: answer.reason } });
          return;
        }
        context.counters.received(pubsub, topic, answer.outcome);
        options.log.debug(
          { topic, pubsub, id: parsed.data.id, outcome: answer.outcome },
          "message taken",
        );
        res.status(200).json({ status: "SUCCESS", outcome: answer.outcome });
      } catch (error) {
        options.log.warn(
          { topic, id: parsed.data.id, err: (error as Error).message },
          "message not taken; Dapr will retry",
        );
        res.status(500).json({
          status: "RETRY",
          error: { code: "Unavailable", message: (error as Error).message },
        });
      }
    },
  );
  return router;
}
