import { z } from "zod";
import { entityId, moneyFields, reader, time, toMoney } from "./fact-reader.js";

// The acquirer's `payment.succeeded` and `payment.refunded` (webhooks imported from the
// corporate bus), as the marketplace's contract documents them: `{paymentId, orderId, amount,
// currency, acquirerRef, paidAt}` and `{refundId, paymentId, orderId, amount, currency,
// refundedAt, reason?}`. Keyed like the marketplace's `order.paid` / `order.refunded` for the
// same payment and refund, so each is counted once whichever report comes first.

export const paymentTopics = {
  succeeded: "payment.succeeded",
  refunded: "payment.refunded",
} as const;

export const readPaymentSucceeded = reader(
  z.object({ paymentId: entityId, orderId: entityId, ...moneyFields, paidAt: time }),
  (payment) => [
    {
      kind: "payment",
      paymentKey: `order:${payment.orderId}`,
      direction: "in",
      orderId: payment.orderId,
      amount: toMoney(payment),
      at: Date.parse(payment.paidAt),
    },
  ],
);

export const readPaymentRefunded = reader(
  z.object({ refundId: entityId, orderId: entityId, ...moneyFields, refundedAt: time }),
  (refund) => [
    {
      kind: "payment",
      paymentKey: `refund:${refund.refundId}`,
      direction: "out",
      orderId: refund.orderId,
      amount: toMoney(refund),
      at: Date.parse(refund.refundedAt),
    },
  ],
);
