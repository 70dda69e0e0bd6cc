import {
  orderTransitions,
  partnerOrderTransitionSchema,
  partnerUpdatedTopic,
  transitionsFrom,
  type PartnerOrderTransition,
  type TransitionName,
} from "@symbiont/contracts";
import type { OutgoingEvent } from "@symbiont/service-kit";
import type { PartnerOrder } from "./partner-data.js";

// A marketplace partner moves one of its requests from the cabinet (MISSION F4): accept or
// decline a paid order, start it, complete it, cancel one not yet paid. The cabinet offers
// the moves the order's status allows a partner (the marketplace's own table, in
// @symbiont/contracts) and publishes `marketplace.partner.updated` (action `order.transition`);
// the route `marketplace-partner-updates-in` carries it into the core, where the marketplace
// applies it under the same rules as its partner API. The new status reaches the cabinet back
// as `order.status.changed`.

export interface OrderMove {
  transition: TransitionName;
  /** The button's text. */
  label: string;
}

const labels: Partial<Record<TransitionName, string>> = {
  accept: "Accept the request",
  decline: "Decline the request",
  start: "Start the work",
  complete: "Mark the work done",
  cancel: "Cancel the request",
};

/** A move's name in the cabinet's words (the button's text). */
export const moveLabel = (transition: string) => labels[transition as TransitionName] ?? transition;

/** The moves a partner may make on the order in its status, in the marketplace's order. */
export function partnerMoves(order: Pick<PartnerOrder, "status">): OrderMove[] {
  return transitionsFrom(order.status, "partner").map((transition) => ({
    transition,
    label: moveLabel(transition),
  }));
}

export interface MoveForm {
  transition?: unknown;
  note?: unknown;
}

export type MoveRequest =
  | { ok: true; event: OutgoingEvent<PartnerOrderTransition> }
  | { ok: false; status: 400 | 409; field: "transition" | "note"; message: string };

const noteLimit = 1_000;

/**
 * The event asking the marketplace to move `order` as `form` says, or why not. Its id is the
 * order and the status it leaves from: the same move sent twice (a double click, a browser's
 * retry) is one event, and the marketplace takes it once.
 */
export function requestMove(input: {
  order: PartnerOrder;
  partnerId: string;
  form: MoveForm;
}): MoveRequest {
  const { order, form } = input;
  const moves = partnerMoves(order);
  const transition = form.transition;
  if (typeof transition !== "string" || !Object.hasOwn(orderTransitions, transition))
    return {
      ok: false,
      status: 400,
      field: "transition",
      message: `Choose one of: ${moves.map((m) => m.transition).join(", ") || "none (nothing to do)"}.`,
    };
  if (!moves.some((m) => m.transition === transition))
    return {
      ok: false,
      status: 409,
      field: "transition",
      message:
        moves.length === 0
          ? `This request is ${order.status.replace(/_/g, " ")}: there is nothing for you to do.`
          : `This request is ${order.status.replace(/_/g, " ")}: you can ${moves.map((m) => m.transition).join(" or ")} it.`,
    };
  const note = typeof form.note === "string" ? form.note.trim() : "";
  if (note.length > noteLimit)
    return {
      ok: false,
      status: 400,
      field: "note",
      message: `Keep the note within ${noteLimit} characters (it has ${note.length}).`,
    };
  const parsed = partnerOrderTransitionSchema.safeParse({
    action: "order.transition",
    partnerId: input.partnerId,
    orderId: order.orderId,
    transition,
    ...(note ? { note } : {}),
  });
  // The ids come from the marketplace's events and the SSO's token, not from the form.
  if (!parsed.success)
    return {
      ok: false,
      status: 409,
      field: "transition",
      message: `This request cannot be moved from the cabinet (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}); ask the marketplace's operator.`,
    };
  const data = parsed.data;
  return {
    ok: true,
    event: {
      id: `${partnerUpdatedTopic}:${order.orderId}:${order.status}:${transition}`,
      topic: partnerUpdatedTopic,
      data,
    },
  };
}
