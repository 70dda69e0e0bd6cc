import type { OutgoingEvent } from "@symbiont/service-kit";
import { orderPaid, orderRefunded, orderStatusChanged } from "../events/order-events.js";
import type { PaymentRefunded, PaymentSucceeded } from "../events/payment-events.js";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import { formatMoney, shareOf, toMinor } from "./money.js";
import type { Order, OrderRefund } from "./order.js";
import { applyTransition } from "./order-machine.js";
import { paymentMismatch } from "./refusal.js";
import { updateOrder } from "./update-order.js";

// The acquiring partner's callbacks (MISSION T3), as events the bus gateway imported. A
// callback that was applied already (the same payment or refund id, whatever the event id)
// changes nothing and publishes nothing. The one exception is a redelivery of the very event
// that applied it: its first delivery may have stopped between writing the order and
// booking the money or queueing the events, so those steps run again (each is idempotent).

export type PaymentOutcome = "applied" | "duplicate";

export async function applyPaymentSucceeded(
  deps: MarketplaceDeps,
  payment: PaymentSucceeded,
  eventId: string,
): Promise<PaymentOutcome> {
  let duplicate = false;
  const { order, changed } = await updateOrder(deps, payment.orderId, (current) => {
    checkPaymentOf(current, payment.paymentId);
    if (current.payment.paidAt !== undefined) {
      if (current.payment.acquirerRef !== payment.acquirerRef)
        throw paymentMismatch(
          `order ${current.id} is paid already (acquirer reference ${current.payment.acquirerRef}), not by ${payment.acquirerRef}`,
        );
      duplicate = current.payment.eventId !== eventId;
      return undefined;
    }
    checkAmount(current, payment.amount, payment.currency, "the payment");
    const paid = applyTransition(
      current,
      "pay",
      { kind: "acquirer", id: payment.acquirerRef },
      deps.now().toISOString(),
    );
    return {
      ...paid,
      payment: {
        ...paid.payment,
        eventId,
        acquirerRef: payment.acquirerRef,
        paidAt: payment.paidAt,
      },
    };
  });
  if (duplicate) return "duplicate";
  await book(
    deps,
    order,
    `payment:${payment.paymentId}`,
    order.totalMinor,
    order.commissionMinor,
    payment.paidAt,
  );
  // The status event of the payment itself, even if the order moved on since.
  const paidStep = order.history.findIndex((step) => step.transition === "pay");
  await deps.outbox.send([orderPaid(order), orderStatusChanged(order, paidStep)]);
  if (changed) deps.logger.info({ orderId: order.id, paymentId: payment.paymentId }, "order paid");
  return "applied";
}

export async function applyPaymentRefunded(
  deps: MarketplaceDeps,
  refund: PaymentRefunded,
  eventId: string,
): Promise<PaymentOutcome> {
  let duplicate = false;
  const { order } = await updateOrder(deps, refund.orderId, (current) => {
    checkPaymentOf(current, refund.paymentId);
    const known = current.refunds.find((r) => r.refundId === refund.refundId);
    if (known) {
      duplicate = known.eventId !== eventId;
      return undefined;
    }
    if (current.payment.paidAt === undefined)
      throw paymentMismatch(`order ${current.id} is ${current.status}: nothing was paid to refund`);
    checkCurrency(current, refund.currency, "the refund");
    const amountMinor = toMinor(refund.amount);
    const before = current.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
    if (before + amountMinor > current.totalMinor)
      throw paymentMismatch(
        `refund ${refund.refundId} of ${formatMoney(amountMinor, current.currency)} exceeds what is left of order ${current.id} (${formatMoney(current.totalMinor - before, current.currency)})`,
      );
    const full = before + amountMinor === current.totalMinor;
    const returned = current.refunds.reduce((sum, r) => sum + r.commissionMinor, 0);
    const entry: OrderRefund = {
      refundId: refund.refundId,
      eventId,
      amountMinor,
      // The last refund returns what is left of the commission, so shares add up exactly.
      commissionMinor: full
        ? current.commissionMinor - returned
        : shareOf(current.commissionMinor, amountMinor, current.totalMinor),
      at: refund.refundedAt,
      ...(refund.reason ? { reason: refund.reason } : {}),
    };
    const at = deps.now().toISOString();
    const withRefund: Order = { ...current, refunds: [...current.refunds, entry] };
    return full
      ? applyTransition(withRefund, "refund", { kind: "acquirer" }, at, refund.reason)
      : { ...withRefund, version: current.version + 1, updatedAt: at };
  });
  if (duplicate) return "duplicate";
  const entry = order.refunds.find((r) => r.refundId === refund.refundId)!;
  await book(
    deps,
    order,
    `refund:${refund.refundId}`,
    -entry.amountMinor,
    -entry.commissionMinor,
    entry.at,
  );
  const events: OutgoingEvent[] = [orderRefunded(order, entry)];
  // The refund that left nothing to refund took the order to refunded.
  const refundStep = order.history.findIndex((step) => step.transition === "refund");
  if (refundStep >= 0 && order.refunds.at(-1) === entry)
    events.push(orderStatusChanged(order, refundStep));
  await deps.outbox.send(events);
  return "applied";
}

/** Books a payment (positive) or a refund (negative) of the order for the payouts. */
async function book(
  deps: MarketplaceDeps,
  order: Order,
  id: `payment:${string}` | `refund:${string}`,
  grossMinor: number,
  commissionMinor: number,
  at: string,
): Promise<void> {
  await deps.movements.book({
    id,
    kind: id.startsWith("payment:") ? "payment" : "refund",
    partnerId: order.partnerId,
    orderId: order.id,
    currency: order.currency,
    grossMinor,
    commissionMinor,
    at,
  });
}

function checkPaymentOf(order: Order, paymentId: string): void {
  if (order.payment.paymentId !== paymentId)
    throw paymentMismatch(
      `payment ${paymentId} is not the payment of order ${order.id} (${order.payment.paymentId})`,
    );
}

function checkCurrency(order: Order, currency: string, what: string): void {
  if (currency !== order.currency)
    throw paymentMismatch(`${what} is in ${currency}, order ${order.id} in ${order.currency}`);
}

function checkAmount(order: Order, amount: number, currency: string, what: string): void {
  checkCurrency(order, currency, what);
  if (toMinor(amount) !== order.totalMinor)
    throw paymentMismatch(
      `${what} is ${formatMoney(toMinor(amount), currency)}, order ${order.id} costs ${formatMoney(order.totalMinor, order.currency)}`,
    );
}
