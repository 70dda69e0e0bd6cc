import { conflict } from "@symbiont/service-kit";
import { orderCreated, orderStatusChanged } from "../events/order-events.js";
import { paymentIdOf, paymentRequested } from "../events/payment-events.js";
import { commissionOf, commissionRuleFor } from "./commission.js";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import { toMinor } from "./money.js";
import { offerNotForSale } from "./offers.js";
import type { Actor, Order } from "./order.js";
import { earlierOrderIdFor, orderIdFor } from "./order-id.js";
import { applyTransition, orderTransitions, type TransitionName } from "./order-machine.js";
import { notYours, unknownOffer, unknownOrder } from "./refusal.js";
import { updateOrder } from "./update-order.js";

export interface OrderRequest {
  requestId: string;
  offerId: string;
  customerId: string;
  quantity: number;
  note?: string;
}

/**
 * A customer's order for an active offer of an active partner: the offer's terms and the
 * commission rule are copied in, the order waits for payment, and a payment intent goes to
 * the acquiring partner (`payment.requested`) beside `order.created`. The same request
 * again answers the same order (`created: false`), also one the marketplace placed before
 * its ids took the customer in; another customer's request with the same id is another order.
 */
export async function placeOrder(
  deps: MarketplaceDeps,
  request: OrderRequest,
  actor: Actor,
  fieldPrefix = "body",
): Promise<{ order: Order; created: boolean }> {
  const id = orderIdFor(request.customerId, request.requestId);
  const existing = (await deps.orders.find(id)) ?? (await placedEarlier(deps, request));
  if (existing) {
    if (
      existing.offerId !== request.offerId ||
      existing.customerId !== request.customerId ||
      existing.quantity !== request.quantity
    )
      throw conflict(
        `request ${request.requestId} placed order ${existing.id} with other terms; a new order needs a new requestId`,
      );
    return { order: await resendIfNew(deps, existing), created: false };
  }
  const offer = await deps.offers.find(request.offerId);
  if (!offer) throw unknownOffer(request.offerId, `${fieldPrefix}.offerId`);
  if (offer.status !== "active")
    throw offerNotForSale(
      offer,
      `it is ${offer.status}${offer.suspendedBy ? ` (rule ${offer.suspendedBy})` : ""}`,
      `${fieldPrefix}.offerId`,
    );
  const partner = await deps.partners.find(offer.partnerId);
  if (partner?.status !== "active")
    throw offerNotForSale(
      offer,
      `partner ${offer.partnerId} ${partner ? "is suspended" : "no longer exists"}`,
      `${fieldPrefix}.offerId`,
    );
  const book = deps.rules.current();
  const rule = commissionRuleFor(book, offer.category, partner.kind);
  const unitPriceMinor = toMinor(offer.price.amount);
  const totalMinor = unitPriceMinor * request.quantity;
  const at = deps.now().toISOString();
  const order: Order = {
    id,
    requestId: request.requestId,
    customerId: request.customerId,
    partnerId: partner.id,
    partnerKind: partner.kind,
    offerId: offer.id,
    offerVersion: offer.version,
    title: offer.title,
    category: offer.category,
    unit: offer.unit,
    quantity: request.quantity,
    currency: offer.price.currency,
    unitPriceMinor,
    totalMinor,
    commissionRule: rule.name,
    commissionMinor: commissionOf(totalMinor, rule.percent),
    responseHours: offer.sla.responseHours,
    completionHours: offer.sla.completionHours,
    ...(request.note ? { note: request.note } : {}),
    status: "awaiting_payment",
    payment: { paymentId: paymentIdOf(id) },
    refunds: [],
    history: [{ transition: "place", from: null, to: "awaiting_payment", actor, at }],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  if (!(await deps.orders.insert(order))) {
    // Placed by a concurrent copy of the same request.
    const raced = await deps.orders.find(id);
    if (raced) return { order: raced, created: false };
  }
  await deps.outbox.send([orderCreated(order), paymentRequested(order)]);
  return { order, created: true };
}

/** The customer's order for this request under the id it got from the request id alone. */
async function placedEarlier(deps: MarketplaceDeps, request: OrderRequest) {
  const earlier = await deps.orders.find(earlierOrderIdFor(request.requestId));
  return earlier?.customerId === request.customerId ? earlier : undefined;
}

/**
 * An order that exists but never moved may have been stored by a call that stopped before
 * its events were: send them again (same ids, so nobody sees them twice).
 */
async function resendIfNew(deps: MarketplaceDeps, order: Order): Promise<Order> {
  if (order.version === 1) await deps.outbox.send([orderCreated(order), paymentRequested(order)]);
  return order;
}

/**
 * A named transition taken by a partner (only on its own orders), the operator or the
 * customer; the machine decides whether it is legal. Announced as `order.status.changed`.
 * Taking the transition that was just taken again (a double click, a repeated message)
 * answers the order as it is.
 */
export async function transitionOrder(
  deps: MarketplaceDeps,
  orderId: string,
  name: TransitionName,
  actor: Actor,
  options: { partnerId?: string; note?: string } = {},
): Promise<Order> {
  const { order, changed } = await updateOrder(deps, orderId, (current) => {
    if (options.partnerId !== undefined && current.partnerId !== options.partnerId)
      throw notYours(`order ${orderId}`);
    const last = current.history.at(-1);
    if (last?.transition === name && current.status === orderTransitions[name].to) return undefined;
    return applyTransition(current, name, actor, deps.now().toISOString(), options.note);
  });
  if (changed) await deps.outbox.send([orderStatusChanged(order)]);
  return order;
}

/** One order; a partner sees only its own. */
export async function getOrder(
  deps: MarketplaceDeps,
  orderId: string,
  partnerId?: string,
): Promise<Order> {
  const order = await deps.orders.find(orderId);
  if (!order) throw unknownOrder(orderId);
  if (partnerId !== undefined && order.partnerId !== partnerId) throw notYours(`order ${orderId}`);
  return order;
}
