import {
  orderRequestedTopic,
  partnerUpdatedTopic,
  refusedRequestKinds,
  requestRefusedEventId,
  requestRefusedSchema,
  requestRefusedTopic,
  type RefusedRequestKind,
  type RequestRefused,
} from "@symbiont/contracts";
import type { OutgoingEvent } from "@symbiont/service-kit";
import type { Refusal } from "../data/refusal-store.js";

// `marketplace.request.refused` (contract in @symbiont/contracts): the answer to a cabinet
// whose request the marketplace refused. Built from the request as it arrived, so a request
// that broke its topic's schema is answered too, as long as it says whose it was.

const field = (data: Record<string, unknown>, name: string) => {
  const value = data[name];
  return typeof value === "string" && value.length > 0 && value.length <= 128 ? value : undefined;
};

function requestKind(topic: string, data: Record<string, unknown>): RefusedRequestKind | undefined {
  if (topic === orderRequestedTopic) return "order.request";
  if (topic !== partnerUpdatedTopic) return undefined;
  return refusedRequestKinds.find((kind) => kind !== "order.request" && kind === data.action);
}

/**
 * The answer to a refused cabinet request; undefined when the topic is not a cabinet's or the
 * request names no one to answer (nobody could be shown it).
 */
export function requestRefused(refusal: Refusal): OutgoingEvent<RequestRefused> | undefined {
  if (typeof refusal.data !== "object" || refusal.data === null) return undefined;
  const data = refusal.data as Record<string, unknown>;
  const request = requestKind(refusal.topic, data);
  if (!request) return undefined;
  const whose =
    request === "order.request"
      ? { customerId: field(data, "customerId") }
      : { partnerId: field(data, "partnerId") };
  const answer = {
    eventId: refusal.eventId,
    request,
    ...whose,
    requestId: field(data, "requestId"),
    offerId: field(data, "offerId"),
    orderId: field(data, "orderId"),
    transition: field(data, "transition"),
    code: refusal.code,
    reason: refusal.reason.slice(0, 500),
    rule: refusal.rule,
    refusedAt: refusal.at,
  };
  // The quantity is part of the answer when it was one (out of range, it was the reason).
  const withQuantity = requestRefusedSchema.safeParse({ ...answer, quantity: data.quantity });
  const parsed = withQuantity.success ? withQuantity : requestRefusedSchema.safeParse(answer);
  if (!parsed.success) return undefined;
  return {
    id: requestRefusedEventId(refusal.eventId),
    topic: requestRefusedTopic,
    data: parsed.data,
  };
}
