import { eventPayload, type IncomingCloudEvent } from "../events/cloud-event.js";
import { acceptForPartners } from "./accept-for-partners.js";
import { crossBus } from "./cross-bus.js";
import type { GatewayContext } from "./gateway-context.js";
import { deadLetterSuffix } from "./route-table.js";

// A message Dapr delivers to `/events/<topic>`. The CloudEvent's `pubsubname` says which
// bus it came from (a topic may be exported on the internal bus and consumed by partners
// on the corporate bus). Dead-letter topics (`<topic>.deadletter`) carry what Dapr could
// not hand over: for a topic the gateway serves, the message is simply processed (it was
// never recorded: the ledger recognises it if it was); for any other topic it becomes a
// `drop` dead letter, visible and replayable.

export type BusAnswer =
  | { status: "SUCCESS"; outcome: "forwarded" | "queued" | "duplicate" | "invalid" | "dropped" }
  | { status: "DROP"; reason: string };

export async function handleBusMessage(
  context: GatewayContext,
  routeTopic: string,
  event: IncomingCloudEvent,
): Promise<BusAnswer> {
  const pubsub = event.pubsubname;
  if (!pubsub) return { status: "DROP", reason: "the event names no pubsub" };
  if (routeTopic.endsWith(deadLetterSuffix))
    return handleDeadLetter(context, pubsub, routeTopic, event);
  return handleTopic(context, pubsub, routeTopic, event);
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

async function handleDeadLetter(
  context: GatewayContext,
  pubsub: string,
  routeTopic: string,
  event: IncomingCloudEvent,
): Promise<BusAnswer> {
  const deadLetterTopic = routeTopic;
  const original =
    event.topic && event.topic !== deadLetterTopic
      ? event.topic
      : deadLetterTopic.slice(0, -deadLetterSuffix.length);
  if (context.routes.handles(pubsub, original))
    return handleTopic(context, pubsub, original, event);
  const [written] = await context.ledger.accept([
    {
      messageId: event.id,
      kind: "drop",
      target: pubsub,
      topic: original,
      pubsub,
      state: "dead-lettered",
      lastError: `Dapr did not deliver it: a subscriber of ${original} dropped or refused it, or it expired`,
      payload: JSON.stringify(eventPayload(event)),
    },
  ]);
  return { status: "SUCCESS", outcome: written === "duplicate" ? "duplicate" : "dropped" };
}
