import type { Order } from "../domain/order.js";
import type { OrderStatus } from "../domain/order-machine.js";
import { paymentIdOf } from "../events/payment-events.js";

// An order as placeOrder stores it (three deliveries of a courier's offer), for tests that
// need one without a database.

export function sampleOrder(status: OrderStatus = "awaiting_payment"): Order {
  const id = "9b0e3c1a-6f1d-5c1e-8a7b-1c2d3e4f5a6b";
  const at = "2026-12-01T10:00:00.000Z";
  return {
    id,
    requestId: "cabinet-request-1",
    customerId: "c-7f3a",
    partnerId: "swift-couriers",
    partnerKind: "courier",
    offerId: "0f3e5a4c-2b1d-4e6f-9a8b-7c6d5e4f3a2b",
    offerVersion: 1,
    title: "Same-day delivery",
    category: "delivery",
    unit: "delivery",
    quantity: 3,
    currency: "RUB",
    unitPriceMinor: 35_000,
    totalMinor: 105_000,
    commissionRule: "delivery-commission",
    commissionMinor: 15_750,
    responseHours: 1,
    completionHours: 12,
    status,
    payment: { paymentId: paymentIdOf(id) },
    refunds: [],
    history: [
      {
        transition: "place",
        from: null,
        to: "awaiting_payment",
        actor: { kind: "customer", id: "c-7f3a" },
        at,
      },
    ],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}
