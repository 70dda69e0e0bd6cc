import { eventPayload, type IncomingCloudEvent } from "../events/cloud-event.js";
import { acceptForPartners } from "./accept-for-partners.js";
import { crossBus } from "./cross-bus.js";
import type { GatewayContext } from "./gateway-context.js";
import { entryKey } from "./ledger-entry.js";

// A message Dapr delivers to `/events/<topic>`. The CloudEvent's `pubsubname` says which
// bus it came from (a topic may be exported on the internal bus and consumed by partners
// on the corporate bus).

export type BusAnswer =
  | {
      status: "SUCCESS";
      outcome: "forwarded" | "queued" | "duplicate" | "invalid" | "dropped";
    }
  | { status: "DROP"; reason: string };

export async function handleBusMessage(
  context: GatewayContext,
  topic: string,
  event: IncomingCloudEvent,
): Promise<BusAnswer> {
  const pubsub = event.pubsubname;
  if (!pubsub) return { status: "DROP", reason: "the event names no pubsub" };
  return handleTopic(context, pubsub, topic, event);
}

async function handleTopic(
  context: GatewayContext,
  pubsub: string,
  topic: string,
  event: IncomingCloudEvent,
): Promise<BusAnswer> {
  const { routes, file } = context;
  if (!routes.handles(pubsub, topic))
    return { status: "DROP", reason: `the gateway does not take ${topic} from ${pubsub}` };
  const payload = eventPayload(event);
  const message = { id: event.id, type: event.type, topic, payload };
  if (pubsub === file.internalPubsub) {
    const crossed = await crossBus(context, routes.exports.get(topic)!, message);
    return { status: "SUCCESS", outcome: crossed.result };
  }
  let outcome: BusAnswer & { status: "SUCCESS" } = { status: "SUCCESS", outcome: "duplicate" };
  const importRoute = routes.imports.get(topic);
  if (importRoute) {
    const crossed = await crossBus(context, importRoute, message);
    outcome = { status: "SUCCESS", outcome: crossed.result };
  }
  const partners = routes.consumers.get(topic);
  if (partners) {
    const intake = await acceptForPartners(context, partners, message);
    if (intake.queued > 0) outcome = { status: "SUCCESS", outcome: "queued" };
    else if (intake.invalid > 0) outcome = { status: "SUCCESS", outcome: "invalid" };
  }
  return outcome;
}

/**
 * A dead letter Dapr delivers to `/deadletters/<subscriber>/<topic>` (the operator renders
 * one such route per subscriber and topic). The gateway's own is processed again: it was
 * never recorded, or the ledger recognises it. Any other subscriber's becomes a `drop` entry
 * of that subscriber, visible and replayable; when a replayed one comes back, that is a new
 * failure, recorded on the same entry.
 */
export async function handleDeadLetter(
  context: GatewayContext,
  subscriber: string,
  topic: string,
  event: IncomingCloudEvent,
): Promise<BusAnswer> {
  const pubsub = event.pubsubname;
  if (!pubsub) return { status: "DROP", reason: "the event names no pubsub" };
  if (subscriber === context.appId) return handleTopic(context, pubsub, topic, event);
  const lastError = `${subscriber} could not take it: it dropped or refused it until its retries ran out, or it expired`;
  const payload = JSON.stringify(eventPayload(event));
  const [written] = await context.ledger.accept([
    {
      messageId: event.id,
      kind: "drop",
      target: subscriber,
      topic,
      pubsub,
      state: "dead-lettered",
      lastError,
      payload,
    },
  ]);
  if (written !== "duplicate") return { status: "SUCCESS", outcome: "dropped" };
  const key = entryKey("drop", subscriber, topic, event.id);
  await context.dropsReplaying.get(key)?.catch(() => undefined);
  // A delivered entry is no longer in memory: the ledger reads it back.
  const entry = await context.ledger.find(key);
  if (entry && entry.state === "delivered" && entry.replays > 0) {
    await context.ledger.change(entry, {
      state: "dead-lettered",
      // The replay counted the attempt that failed.
      attempts: entry.attempts,
      lastError,
      reopen: true,
      payload,
    });
    return { status: "SUCCESS", outcome: "dropped" };
  }
  return { status: "SUCCESS", outcome: "duplicate" };
}
