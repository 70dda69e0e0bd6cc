import { AppError } from "@symbiont/service-kit";
import { orderTransitions, type TransitionName, type TransitionSpec } from "@symbiont/contracts";
import type { Actor, Order } from "./order.js";

// The order's life as a state machine with named transitions: the table (states, where each
// transition leaves from, where it goes and who may take it) is the contract the partner
// cabinet shares (@symbiont/contracts); here it is applied. Payment and refund are taken only
// by the acquiring partner's events; everything else by people through the APIs.

export {
  manualTransitions,
  orderStatuses,
  orderTransitions,
  transitionNames,
  type OrderStatus,
  type TransitionName,
} from "@symbiont/contracts";

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
