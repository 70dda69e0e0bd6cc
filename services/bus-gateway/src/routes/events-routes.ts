import { Router, type Request, type Response } from "express";
import type { GatewayContext } from "../domain/gateway-context.js";
import { handleBusMessage, handleDeadLetter } from "../domain/handle-bus-message.js";
import {
  asBulkDelivery,
  bulkEventType,
  maxBulkEntries,
  type BulkDelivery,
} from "@symbiont/contracts";
import { poisonHeadBytes } from "../domain/record-poison.js";
import { readCappedBody } from "./read-capped-body.js";
import { requireSidecarToken } from "../auth/require-sidecar-token.js";
import { capped, entryBody, messageTaker, type Handle, type TakeLog } from "./take-message.js";

// Dapr delivers subscribed messages to `/events/<topic>` and dead letters to
// `/deadletters/<subscriber>/<topic>` (CloudEvents in structured mode). The answer follows
// Dapr's contract: SUCCESS once the ledger write is durable, and a 500 (retry) when the
// ledger or the other bus is unavailable. A message that can never be taken (not a
// CloudEvent, over the body limit, a topic the gateway does not serve) is recorded as a
// dead letter and acknowledged: answered with an error, Dapr would redeliver it forever and
// an ordered topic would stop behind it. Only the gateway's own sidecar may deliver: a call
// without its app API token is refused (401) before the body is read.

export function eventsRoutes(
  context: GatewayContext,
  options: { maxBodyBytes: number; appToken: string; log: TakeLog },
): Router {
  const router = Router();
  const fromSidecar = requireSidecarToken(options.appToken);
  const { log, maxBodyBytes } = options;

  const takeOne = messageTaker(context, { maxBodyBytes, log });

  const take = async (topic: string, req: Request, res: Response, handle: Handle) => {
    // The sidecar sends one message as a CloudEvent and a bulk delivery (up to
    // `maxBulkEntries` messages, each with its own limit) as JSON: only the latter may be read
    // past one message's limit.
    const single = (req.headers["content-type"] ?? "").startsWith("application/cloudevents+json");
    const body = await readCappedBody(
      req,
      single ? maxBodyBytes : maxBodyBytes * maxBulkEntries,
      poisonHeadBytes,
    );
    const bulk = single || body.text === undefined ? undefined : parseBulk(body.text);
    if (bulk) {
      context.counters.bulkDelivery(topic, bulk.entries.length);
      res.status(200).json({ statuses: await takeBulk(topic, bulk, handle) });
      return;
    }
    try {
      const answer = await takeOne(topic, capped(body, maxBodyBytes), handle);
      res.status(200).json({ status: "SUCCESS", outcome: answer.outcome });
    } catch (error) {
      res.status(500).json({
        status: "RETRY",
        error: { code: "Unavailable", message: (error as Error).message },
      });
    }
  };

  /**
   * The entries of a bulk delivery (Dapr's bulk subscribe), each answered on its own: taken
   * together, so their ledger records share one group commit. An entry without an answer of
   * SUCCESS is retried by Dapr, alone.
   */
  const takeBulk = (topic: string, bulk: BulkDelivery, handle: Handle) =>
    Promise.all(
      bulk.entries.map(async (entry) => {
        try {
          await takeOne(topic, capped(entryBody(entry.event), maxBodyBytes), handle);
          return { entryId: entry.entryId, status: "SUCCESS" as const };
        } catch {
          return { entryId: entry.entryId, status: "RETRY" as const };
        }
      }),
    );

  router.post("/events/:topic", fromSidecar, async (req, res) => {
    const topic = String(req.params.topic);
    await take(topic, req, res, (event) => handleBusMessage(context, topic, event));
  });
  router.post("/deadletters/:subscriber/:topic", fromSidecar, async (req, res) => {
    const topic = String(req.params.topic);
    const subscriber = String(req.params.subscriber);
    await take(topic, req, res, (event) => handleDeadLetter(context, subscriber, topic, event));
  });
  return router;
}

function parseBulk(text: string): BulkDelivery | undefined {
  if (!text.includes(bulkEventType)) return undefined;
  try {
    return asBulkDelivery(JSON.parse(text));
  } catch {
    return undefined;
  }
}
