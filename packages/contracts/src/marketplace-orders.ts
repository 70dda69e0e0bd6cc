import { z } from "zod";

// A marketplace order's life, as the marketplace runs it and the partner cabinet offers it:
// the states, the named transitions (where each leaves from, where it goes, who may take it)
// and the message by which the cabinet asks the marketplace to move a partner's order
// (`marketplace.partner.updated`, action `order.transition`). The marketplace decides with the
// same table the cabinet draws its buttons from.

export const orderStatuses = [
  "awaiting_payment",
  "paid",
  "accepted",
  "in_progress",
  "completed",
  "declined",
  "cancelled",
  "refunded",
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** Who moves an order: the partner, the marketplace's operator, the acquiring partner, the customer. */
export const actorKinds = ["partner", "operator", "acquirer", "customer"] as const;
export type ActorKind = (typeof actorKinds)[number];

/** Where a transition leaves from, where it goes and who may take it. */
export interface TransitionSpec {
  from: readonly OrderStatus[];
  to: OrderStatus;
  by: readonly ActorKind[];
}

export const orderTransitions = {
  pay: { from: ["awaiting_payment"], to: "paid", by: ["acquirer"] },
  cancel: { from: ["awaiting_payment"], to: "cancelled", by: ["customer", "partner", "operator"] },
  accept: { from: ["paid"], to: "accepted", by: ["partner", "operator"] },
  /** The partner will not serve a paid order: it waits for the acquirer's refund. */
  decline: { from: ["paid"], to: "declined", by: ["partner", "operator"] },
  start: { from: ["accepted"], to: "in_progress", by: ["partner", "operator"] },
  complete: { from: ["in_progress"], to: "completed", by: ["partner", "operator"] },
  refund: {
    from: ["paid", "accepted", "in_progress", "completed", "declined"],
    to: "refunded",
    by: ["acquirer"],
  },
} as const satisfies Record<string, TransitionSpec>;
export type TransitionName = keyof typeof orderTransitions;
export const transitionNames = Object.keys(orderTransitions) as TransitionName[];

/** Transitions people take through the APIs (payment and refund come from the acquirer). */
export const manualTransitions = transitionNames.filter(
  (name) => !(orderTransitions[name].by as readonly ActorKind[]).includes("acquirer"),
);

/** A transition people take through the APIs or the partner cabinet. */
export const manualTransitionSchema = z.enum(
  manualTransitions as [TransitionName, ...TransitionName[]],
);

/** The transitions `actor` may take from `status`, in the table's order. */
export function transitionsFrom(status: string, actor: ActorKind): TransitionName[] {
  return transitionNames.filter((name) => {
    const spec: TransitionSpec = orderTransitions[name];
    return spec.from.includes(status as OrderStatus) && spec.by.includes(actor);
  });
}

export const partnerUpdatedTopic = "marketplace.partner.updated";

/** A marketplace partner's id: a slug. */
export const partnerIdSchema = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, "expected a slug of a-z, 0-9 and '-'");

/**
 * `marketplace.partner.updated`, action `order.transition`: a partner moves one of its orders
 * from the partner cabinet, which has authenticated it. The marketplace applies it under the
 * same rules as its partner API (an order of another partner, or a move its state does not
 * allow, is refused there).
 */
export const partnerOrderTransitionSchema = z.object({
  action: z.literal("order.transition"),
  partnerId: partnerIdSchema,
  orderId: z.uuid(),
  transition: manualTransitionSchema,
  note: z.string().max(1_000).optional(),
});
export type PartnerOrderTransition = z.output<typeof partnerOrderTransitionSchema>;

export const orderRequestedTopic = "marketplace.order.requested";

/** How many units of an offer one order can be for. */
export const orderQuantitySchema = z.number().int().min(1).max(100_000);

/**
 * `marketplace.order.requested` (user cabinet): a customer orders `quantity` units of an
 * offer. `requestId` is the cabinet's idempotency key: the same request twice is one order.
 */
export const orderRequestedSchema = z.object({
  requestId: z.string().min(1).max(128),
  offerId: z.uuid(),
  /** The customer's CRM profile id, linked to the signed-in person. */
  customerId: z.string().min(1).max(128),
  quantity: orderQuantitySchema,
  /** For the partner (entrance, floor, a convenient time); shown to that partner only. */
  note: z.string().max(1_000).optional(),
  requestedAt: z.iso.datetime({ offset: true }).optional(),
});
export type OrderRequested = z.output<typeof orderRequestedSchema>;
