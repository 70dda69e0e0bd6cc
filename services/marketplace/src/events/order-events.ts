import type { OutgoingEvent } from "@symbiont/service-kit";
import { z } from "zod";
import { fromMinor } from "../domain/money.js";
import { actorKinds, type Order, type OrderRefund } from "../domain/order.js";
import { orderStatuses, transitionNames } from "../domain/order-machine.js";
import { amountField, currencyField, idField, orderIdField, timeField } from "./event-fields.js";
import {
  orderCreatedTopic,
  orderPaidTopic,
  orderRefundedTopic,
  orderStatusChangedTopic,
} from "./marketplace-topics.js";

// What the marketplace tells the ecosystem about orders (exported to the cabinets; analytics
// takes them on the internal bus). No personal data: the customer is their unified id.

/** `order.created`: an order was placed and waits for payment. */
export const orderCreatedSchema = z.object({
  orderId: orderIdField,
  requestId: idField,
  customerId: idField,
  partnerId: idField,
  offerId: z.uuid(),
  offerVersion: z.number().int().min(1),
  title: z.string(),
  category: idField,
  unit: idField,
  quantity: z.number().int().min(1),
  unitPrice: amountField,
  amount: amountField,
  currency: currencyField,
  commission: amountField,
  status: z.enum(orderStatuses),
  createdAt: timeField,
});

/** `order.status.changed`: one named transition of the order's state machine. */
export const orderStatusChangedSchema = z.object({
  orderId: orderIdField,
  partnerId: idField,
  customerId: idField,
  transition: z.enum(transitionNames),
  from: z.enum(orderStatuses),
  to: z.enum(orderStatuses),
  actor: z.object({ kind: z.enum(actorKinds), id: idField.optional() }),
  at: timeField,
  version: z.number().int().min(1),
});

/** `order.paid`: the acquirer took the money; what the partner is owed after commission. */
export const orderPaidSchema = z.object({
  orderId: orderIdField,
  paymentId: idField,
  partnerId: idField,
  customerId: idField,
  offerId: z.uuid(),
  category: idField,
  amount: amountField,
  currency: currencyField,
  commission: amountField,
  partnerPayout: amountField,
  acquirerRef: idField,
  paidAt: timeField,
});

/** `order.refunded`: one refund of the order (`fullyRefunded` when nothing is left). */
export const orderRefundedSchema = z.object({
  orderId: orderIdField,
  refundId: idField,
  paymentId: idField,
  partnerId: idField,
  customerId: idField,
  category: idField,
  amount: amountField,
  currency: currencyField,
  commissionReturned: amountField,
  refundedTotal: amountField,
  fullyRefunded: z.boolean(),
  refundedAt: timeField,
});

export type OrderCreated = z.output<typeof orderCreatedSchema>;
export type OrderStatusChanged = z.output<typeof orderStatusChangedSchema>;
export type OrderPaid = z.output<typeof orderPaidSchema>;
export type OrderRefunded = z.output<typeof orderRefundedSchema>;

export function orderCreated(order: Order): OutgoingEvent<OrderCreated> {
  return {
    id: `${orderCreatedTopic}:${order.id}`,
    topic: orderCreatedTopic,
    data: {
      orderId: order.id,
      requestId: order.requestId,
      customerId: order.customerId,
      partnerId: order.partnerId,
      offerId: order.offerId,
      offerVersion: order.offerVersion,
      title: order.title,
      category: order.category,
      unit: order.unit,
      quantity: order.quantity,
      unitPrice: fromMinor(order.unitPriceMinor),
      amount: fromMinor(order.totalMinor),
      currency: order.currency,
      commission: fromMinor(order.commissionMinor),
      status: order.status,
      createdAt: order.createdAt,
    },
  };
}

/**
 * The event of one transition: the last one unless `step` (an index into the history) says
 * which. Its `version` is the status version, the step's number in the history (a partial
 * refund changes the order but not its status, so it is not the document's version).
 */
export function orderStatusChanged(
  order: Order,
  step = order.history.length - 1,
): OutgoingEvent<OrderStatusChanged> {
  const taken = order.history[step];
  if (!taken || taken.transition === "place" || taken.from === null)
    throw new Error(`order ${order.id} has no transition ${step} to announce`);
  const version = step + 1;
  return {
    id: `${orderStatusChangedTopic}:${order.id}:${version}`,
    topic: orderStatusChangedTopic,
    data: {
      orderId: order.id,
      partnerId: order.partnerId,
      customerId: order.customerId,
      transition: taken.transition,
      from: taken.from,
      to: taken.to,
      actor: taken.actor,
      at: taken.at,
      version,
    },
  };
}

export function orderPaid(order: Order): OutgoingEvent<OrderPaid> {
  const { payment } = order;
  if (!payment.paidAt || !payment.acquirerRef) throw new Error(`order ${order.id} is not paid`);
  return {
    id: `${orderPaidTopic}:${order.id}`,
    topic: orderPaidTopic,
    data: {
      orderId: order.id,
      paymentId: payment.paymentId,
      partnerId: order.partnerId,
      customerId: order.customerId,
      offerId: order.offerId,
      category: order.category,
      amount: fromMinor(order.totalMinor),
      currency: order.currency,
      commission: fromMinor(order.commissionMinor),
      partnerPayout: fromMinor(order.totalMinor - order.commissionMinor),
      acquirerRef: payment.acquirerRef,
      paidAt: payment.paidAt,
    },
  };
}

export function orderRefunded(order: Order, refund: OrderRefund): OutgoingEvent<OrderRefunded> {
  // Up to and including this refund: a later one does not change what this event says.
  const upTo = order.refunds.slice(0, order.refunds.indexOf(refund) + 1);
  const refundedMinor = upTo.reduce((sum, r) => sum + r.amountMinor, 0);
  return {
    id: `${orderRefundedTopic}:${order.id}:${refund.refundId}`,
    topic: orderRefundedTopic,
    data: {
      orderId: order.id,
      refundId: refund.refundId,
      paymentId: order.payment.paymentId,
      partnerId: order.partnerId,
      customerId: order.customerId,
      category: order.category,
      amount: fromMinor(refund.amountMinor),
      currency: order.currency,
      commissionReturned: fromMinor(refund.commissionMinor),
      refundedTotal: fromMinor(refundedMinor),
      fullyRefunded: refundedMinor >= order.totalMinor,
      refundedAt: refund.at,
    },
  };
}
