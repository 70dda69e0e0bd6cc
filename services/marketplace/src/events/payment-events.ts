import type { OutgoingEvent } from "@symbiont/service-kit";
import { z } from "zod";
import { fromMinor } from "../domain/money.js";
import type { Order } from "../domain/order.js";
import { amountField, currencyField, idField, orderIdField, timeField } from "./event-fields.js";
import { paymentRequestedTopic } from "./marketplace-topics.js";

// The payment seam with the acquiring partner (MISSION T3). The marketplace publishes a
// payment intent; the acquirer answers with signed webhooks that the bus gateway turns into
// `payment.succeeded` / `payment.refunded`. The acquirer sends each webhook with the
// Idempotency-Key `payment.succeeded:<paymentId>` / `payment.refunded:<refundId>`.

/** `payment.requested` (marketplace -> acquirer): charge the customer for one order. */
export const paymentRequestedSchema = z.object({
  paymentId: idField,
  orderId: orderIdField,
  amount: amountField,
  currency: currencyField,
  description: z.string().max(300),
  requestedAt: timeField,
});
export type PaymentRequested = z.output<typeof paymentRequestedSchema>;

/** `payment.succeeded` (acquirer -> marketplace, analytics): the money was taken. */
export const paymentSucceededSchema = z.object({
  paymentId: idField,
  orderId: orderIdField,
  amount: amountField,
  currency: currencyField,
  /** The acquirer's own reference of the payment. */
  acquirerRef: idField,
  paidAt: timeField,
});
export type PaymentSucceeded = z.output<typeof paymentSucceededSchema>;

/** `payment.refunded` (acquirer -> marketplace, analytics): money went back, in full or in part. */
export const paymentRefundedSchema = z.object({
  refundId: idField,
  paymentId: idField,
  orderId: orderIdField,
  amount: amountField.refine((value) => value > 0, "must be above 0"),
  currency: currencyField,
  refundedAt: timeField,
  reason: z.string().max(500).optional(),
});
export type PaymentRefunded = z.output<typeof paymentRefundedSchema>;

export function paymentIdOf(orderId: string): string {
  return `pay-${orderId}`;
}

export function paymentRequested(order: Order): OutgoingEvent<PaymentRequested> {
  const paymentId = order.payment.paymentId;
  return {
    id: `${paymentRequestedTopic}:${paymentId}`,
    topic: paymentRequestedTopic,
    data: {
      paymentId,
      orderId: order.id,
      amount: fromMinor(order.totalMinor),
      currency: order.currency,
      description: `${order.title}: ${order.quantity} x ${order.unit}`.slice(0, 300),
      requestedAt: order.createdAt,
    },
  };
}
