import {
  orderQuantitySchema,
  orderRequestedSchema,
  orderRequestedTopic,
  type OrderRequested,
} from "@symbiont/contracts";
import type { OutgoingEvent } from "@symbiont/service-kit";
import { z } from "zod";
import type { MarketOffer } from "../cabinet-data/market-offer-events.js";
import type { RecordUpdate } from "../cabinet-data/record-store.js";

// Ordering from the marketplace in the user cabinet (MISSION F3, F4): the person picks an
// offer, a quantity and a note for the partner; the cabinet publishes
// `marketplace.order.requested` (the contract in @symbiont/contracts), which the route
// `marketplace-order-requests-in` carries into the core. The form carries the request's id,
// chosen when the form was shown, so sending it twice (a double click, a retry after a
// timeout) is one order: the marketplace keys orders by it.

export interface OrderForm {
  requestId?: unknown;
  offerId?: unknown;
  quantity?: unknown;
  note?: unknown;
}

export type OrderField = "requestId" | "quantity" | "note";

export type OrderRequest =
  | { ok: true; event: OutgoingEvent<OrderRequested>; offer: MarketOffer }
  | { ok: false; status: 400 | 404 | 409; field?: OrderField; message: string };

const requestIdSchema = z.uuid();
const offerIdSchema = z.uuid();

export function requestOrder(input: {
  form: OrderForm;
  /** The offer the form names, as the cabinet last heard of it (undefined: never). */
  offer: MarketOffer | undefined;
  customerId: string;
  now: Date;
}): OrderRequest {
  const { form } = input;
  const requestId = requestIdSchema.safeParse(form.requestId);
  if (!requestId.success)
    return {
      ok: false,
      status: 400,
      field: "requestId",
      message: "This form has expired: open the offer again and send it from there.",
    };
  const offer = input.offer;
  if (!offerIdSchema.safeParse(form.offerId).success || !offer || offer.offerId !== form.offerId)
    return { ok: false, status: 404, message: "This offer is not in the marketplace." };
  if (offer.status !== "active")
    return {
      ok: false,
      status: 409,
      message: `This offer is ${offer.status} and cannot be ordered now.`,
    };
  // A form sends the quantity as typed; the JSON API as a number.
  const quantityText = typeof form.quantity === "string" ? form.quantity.trim() : "";
  const quantity = orderQuantitySchema.safeParse(
    typeof form.quantity === "number"
      ? form.quantity
      : /^\d{1,7}$/.test(quantityText)
        ? Number(quantityText)
        : Number.NaN,
  );
  if (!quantity.success)
    return {
      ok: false,
      status: 400,
      field: "quantity",
      message: `Enter how many (${offer.unit || "units"}): a whole number from 1 to 100000.`,
    };
  const note = typeof form.note === "string" ? form.note.trim() : "";
  if (note.length > 1_000)
    return {
      ok: false,
      status: 400,
      field: "note",
      message: `The note for the partner is ${note.length} characters; at most 1000.`,
    };
  const data = orderRequestedSchema.parse({
    requestId: requestId.data,
    offerId: offer.offerId,
    customerId: input.customerId,
    quantity: quantity.data,
    ...(note ? { note } : {}),
    requestedAt: input.now.toISOString(),
  });
  return {
    ok: true,
    offer,
    event: { id: `${orderRequestedTopic}:${data.requestId}`, topic: orderRequestedTopic, data },
  };
}

/**
 * The cabinet's own note of a request it sent, so "Your orders" shows it as requested at once;
 * it gives way to the order once the marketplace places it, or to the refusal.
 */
export function requestedOrderRecord(request: {
  event: OutgoingEvent<OrderRequested>;
  offer: MarketOffer;
}): RecordUpdate {
  const { data } = request.event;
  const { offer } = request;
  return {
    kind: "order-request",
    id: data.requestId,
    owners: [`customer:${data.customerId}`],
    facts: {
      offerId: offer.offerId,
      title: offer.title,
      quantity: data.quantity,
      unit: offer.unit,
      amount: Math.round(offer.price.amount * data.quantity * 100) / 100,
      currency: offer.price.currency,
      requestedAt: data.requestedAt,
    },
  };
}
