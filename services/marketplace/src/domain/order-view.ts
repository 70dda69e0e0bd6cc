import { fromMinor } from "./money.js";
import type { Order } from "./order.js";

const hour = 3_600_000;

/** When the partner must answer and complete, and whether it is late (pure; `now` passed in). */
export function slaOf(order: Order, now: Date) {
  const paid = order.history.find((step) => step.transition === "pay");
  const accepted = order.history.find((step) => step.transition === "accept");
  const answered = order.history.find(
    (s) => s.transition === "accept" || s.transition === "decline",
  );
  const completed = order.history.find((step) => step.transition === "complete");
  const respondBy = paid ? new Date(Date.parse(paid.at) + order.responseHours * hour) : undefined;
  const completeBy = accepted
    ? new Date(Date.parse(accepted.at) + order.completionHours * hour)
    : undefined;
  const late = (deadline: Date | undefined, doneAt: string | undefined) =>
    deadline !== undefined && (doneAt ? Date.parse(doneAt) : now.getTime()) > deadline.getTime();
  const breached = late(respondBy, answered?.at)
    ? "response"
    : late(completeBy, completed?.at)
      ? "completion"
      : undefined;
  return {
    responseHours: order.responseHours,
    completionHours: order.completionHours,
    ...(respondBy ? { respondBy: respondBy.toISOString() } : {}),
    ...(completeBy ? { completeBy: completeBy.toISOString() } : {}),
    ...(breached ? { breached } : {}),
  };
}

/** The order as the APIs show it: money in major units, SLA deadlines, refunds. */
export function viewOrder(order: Order, now: Date) {
  const refunded = order.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
  return {
    id: order.id,
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
    commissionRule: order.commissionRule,
    partnerPayout: fromMinor(order.totalMinor - order.commissionMinor),
    ...(order.note ? { note: order.note } : {}),
    status: order.status,
    payment: {
      paymentId: order.payment.paymentId,
      ...(order.payment.paidAt
        ? { paidAt: order.payment.paidAt, acquirerRef: order.payment.acquirerRef }
        : {}),
    },
    refunded: fromMinor(refunded),
    refunds: order.refunds.map((r) => ({
      refundId: r.refundId,
      amount: fromMinor(r.amountMinor),
      commissionReturned: fromMinor(r.commissionMinor),
      at: r.at,
      ...(r.reason ? { reason: r.reason } : {}),
    })),
    sla: slaOf(order, now),
    history: order.history,
    version: order.version,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
