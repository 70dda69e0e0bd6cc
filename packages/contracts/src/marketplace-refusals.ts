import { z } from "zod";
import { orderQuantitySchema } from "./marketplace-orders.js";

// The marketplace's answer when it refuses what a cabinet asked of it over the bus (an order
// request from the user cabinet, an offer edit or an order move from the partner cabinet):
// the request itself goes to the topic's dead letter, and this event tells the cabinet which
// request it was and why, so the person who sent it sees the refusal instead of waiting.

export const requestRefusedTopic = "marketplace.request.refused";

/** What the refused request asked for: an order, an offer edit or withdrawal, an order move. */
export const refusedRequestKinds = [
  "order.request",
  "offer.upsert",
  "offer.withdraw",
  "order.transition",
] as const;
export type RefusedRequestKind = (typeof refusedRequestKinds)[number];

const id = z.string().min(1).max(128);

/**
 * `marketplace.request.refused`. Exactly one of `customerId` (an order request) and
 * `partnerId` (a partner's edit or move) says whose request it was; the other ids name what
 * it was about, as the request named them.
 */
export const requestRefusedSchema = z
  .object({
    /** The refused event's CloudEvent id: one refusal per request, however often redelivered. */
    eventId: z.string().min(1).max(256),
    request: z.enum(refusedRequestKinds),
    customerId: id.optional(),
    partnerId: id.optional(),
    requestId: id.optional(),
    offerId: id.optional(),
    orderId: id.optional(),
    quantity: orderQuantitySchema.optional(),
    transition: id.optional(),
    /** The marketplace's error code (`OfferNotForSale`, `Conflict`, ...). */
    code: z.string().min(1).max(64),
    /** Why, in words a person can act on. */
    reason: z.string().min(1).max(500),
    /** The rule of the game the request broke, when that was the reason. */
    rule: id.optional(),
    refusedAt: z.iso.datetime({ offset: true }),
  })
  .refine((r) => (r.customerId === undefined) !== (r.partnerId === undefined), {
    message: "exactly one of customerId and partnerId names whose request it was",
    path: ["customerId"],
  });
export type RequestRefused = z.output<typeof requestRefusedSchema>;

/** The refusal's CloudEvent id: stable per refused request. */
export const requestRefusedEventId = (refusedEventId: string) =>
  `${requestRefusedTopic}:${refusedEventId}`;
