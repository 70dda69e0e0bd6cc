import {
  paymentRefundedSchema,
  paymentRefundedTopic,
  paymentSucceededSchema,
  paymentSucceededTopic,
} from "@symbiont/marketplace/events";
import type { PaymentFact } from "../domain/fact.js";
import { reader, toMoney } from "./fact-reader.js";

// The acquirer's `payment.succeeded` and `payment.refunded` (webhooks imported from the
// corporate bus), read with the schemas the marketplace exports for them: `{paymentId,
// orderId, amount, currency, acquirerRef, paidAt}` and `{refundId, paymentId, orderId, amount,
// currency, refundedAt, reason?}`. The marketplace's `order.paid` / `order.refunded` report the same
// payment and refund: both are keyed here, once, so each is counted once whichever comes first.

export const paymentTopics = {
  succeeded: paymentSucceededTopic,
  refunded: paymentRefundedTopic,
} as const;

type Money = { amount: number; currency: string };

/** An order's payment (one per order): keyed by the order. */
export function moneyIn(paid: Money & { orderId: string }, at: number): PaymentFact {
  const { orderId } = paid;
  return {
    kind: "payment",
    paymentKey: `order:${orderId}`,
    direction: "in",
    orderId,
    amount: toMoney(paid),
    at,
  };
}

/** A refund (an order may have several): keyed by the refund. */
export function moneyOut(
  refund: Money & { orderId: string; refundId: string },
  at: number,
): PaymentFact {
  const { orderId } = refund;
  return {
    kind: "payment",
    paymentKey: `refund:${refund.refundId}`,
    direction: "out",
    orderId,
    amount: toMoney(refund),
    at,
  };
}

export const readPaymentSucceeded = reader(paymentSucceededSchema, (payment) => [
  moneyIn(payment, Date.parse(payment.paidAt)),
]);

export const readPaymentRefunded = reader(paymentRefundedSchema, (refund) => [
  moneyOut(refund, Date.parse(refund.refundedAt)),
]);
