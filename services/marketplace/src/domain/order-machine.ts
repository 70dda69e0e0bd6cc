import { AppError } from "@symbiont/service-kit";
import type { Actor, ActorKind, Order } from "./order.js";

// The order's life as a state machine with named transitions. Each names the states it
// leaves from, the state it reaches and who may take it. Payment and refund are taken only
// by the acquiring partner's events; everything else by people through the APIs.

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

interface TransitionSpec {
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

export function illegalTransition(order: Order, name: TransitionName, why: string): AppError {
  return new AppError({
    status: 409,
    code: "IllegalTransition",
    message: `order ${order.id} is ${order.status}: ${name} ${why}`,
    details: { status: order.status, transition: name },
  });
}

/**
 * The order after `name` (pure): status, history and version move on. Throws
 * IllegalTransition when the order is not in a state the transition leaves from, or the
 * actor may not take it.
 */
export function applyTransition(
  order: Order,
  name: TransitionName,
  actor: Actor,
  at: string,
  note?: string,
): Order {
  const spec: TransitionSpec = orderTransitions[name];
  if (!spec.by.includes(actor.kind))
    throw illegalTransition(
      order,
      name,
      `is taken by ${spec.by.join(" or ")}, not by ${actor.kind}`,
    );
  if (!spec.from.includes(order.status))
    throw illegalTransition(order, name, `is allowed from ${spec.from.join(", ")} only`);
  return {
    ...order,
    status: spec.to,
    history: [
      ...order.history,
      { transition: name, from: order.status, to: spec.to, actor, at, ...(note ? { note } : {}) },
    ],
    version: order.version + 1,
    updatedAt: at,
  };
}
