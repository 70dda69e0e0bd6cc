import { z } from "zod";
import { entityId, moneySchema, reader, time, timeOf, toMoney } from "./fact-reader.js";

// The acquirer's `payment.succeeded` and `payment.refunded` (imported from the corporate bus,
// EVENTS.md). Payload as analytics reads it (docs/module-contract.md, "analytics"):
// `{paymentId, orderId?, amount: {amount, currency}, paidAt? | refundedAt?, refundId?}`.
// A payment for an order is keyed by the order, so the marketplace's `order.paid` for the
// same order does not count it twice.

export const paymentTopics = {
  succeeded: "payment.succeeded",
  refunded: "payment.refunded",
} as const;

const paymentSchema = z.object({
  paymentId: entityId,
  orderId: entityId.optional(),
  refundId: entityId.optional(),
  amount: moneySchema,
  paidAt: time.optional(),
  refundedAt: time.optional(),
  occurredAt: time.optional(),
});

export const readPaymentSucceeded = reader(paymentSchema, (payment, context) => [
  {
    kind: "payment",
    paymentKey: payment.orderId ? `order:${payment.orderId}` : `payment:${payment.paymentId}`,
    direction: "in",
    ...(payment.orderId === undefined ? {} : { orderId: payment.orderId }),
    amount: toMoney(payment.amount),
    at: timeOf(context, payment.paidAt, payment.occurredAt),
  },
]);

export const readPaymentRefunded = reader(paymentSchema, (payment, context) => [
  {
    kind: "payment",
    paymentKey: `refund:${payment.refundId ?? payment.orderId ?? payment.paymentId}`,
    direction: "out",
    ...(payment.orderId === undefined ? {} : { orderId: payment.orderId }),
    amount: toMoney(payment.amount),
    at: timeOf(context, payment.refundedAt, payment.occurredAt),
  },
]);
