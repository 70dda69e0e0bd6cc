import { describe, expect, it } from "vitest";
import { paymentSucceededSchema } from "@symbiont/marketplace/events";
import { applyTransition } from "../../../marketplace/src/domain/order-machine.js";
import type { Order } from "../../../marketplace/src/domain/order.js";
import {
  orderCreated,
  orderPaid,
  orderRefunded,
} from "../../../marketplace/src/events/order-events.js";
import { sampleOrder } from "../../../marketplace/src/testing/sample-order.js";
import { factReaders } from "./consumed-topics.js";

const context = {
  eventId: "e1",
  receivedAt: Date.parse("2026-12-01T10:00:00Z"),
  defaultCountryCode: "7",
};
const read = (topic: string, data: unknown) => factReaders.get(topic)!(data, context);
// As the marketplace publishes them, built by its own functions from its sample order.
const placed = sampleOrder();
const paidOrder: Order = {
  ...applyTransition(placed, "pay", { kind: "acquirer", id: "acq-1" }, "2026-12-01T10:00:05.000Z"),
  payment: { ...placed.payment, acquirerRef: "acq-1", paidAt: "2026-12-01T10:00:04.000Z" },
};
const refund = {
  refundId: "rf-1",
  eventId: "payment.refunded:rf-1",
  amountMinor: 35_000,
  commissionMinor: 5_250,
  at: "2026-12-02T09:00:00.000Z",
};
const paid = orderPaid(paidOrder).data;
const refunded = orderRefunded({ ...paidOrder, refunds: [refund] }, refund).data;
// The acquirer's callback for the same payment (the contract the marketplace exports).
const acquirer = paymentSucceededSchema.parse({
  paymentId: paid.paymentId,
  orderId: paid.orderId,
  amount: paid.amount,
  currency: paid.currency,
  acquirerRef: "acq-1",
  paidAt: paid.paidAt,
});

describe("reading the ecosystem's events", () => {
  it.each([
    ["order.paid", { ...paid, amount: -5 }, "event.amount"],
    ["order.created", { ...orderCreated(placed).data, orderId: "not-a-uuid" }, "event.orderId"],
    ["order.refunded", { ...refunded, fullyRefunded: undefined }, "event.fullyRefunded"],
    ["payment.succeeded", { ...acquirer, currency: "rub" }, "event.currency"],
    [
      "customer.updated",
      { profile: { id: "c1", version: 0, status: "active", keys: [] } },
      "event.profile.version",
    ],
    ["task.completed", { task: { id: "t1" } }, "event.task.assignee"],
    ["touchpoint.recorded", { channel: "fax", identity: {} }, "event.channel"],
    [
      "kpi.manager.updated",
      {
        managerId: "m1",
        tasks: { done: 1, overdue: 0, open: 2 },
        ratings: { count: 1, average: "high" },
        updatedAt: "2026-12-01T10:00:00Z",
      },
      "event.ratings.average",
    ],
    ["meeting.booked", { customerId: "c1", bookedAt: "yesterday" }, "event.meetingId"],
  ])("when %s carries %j, then it is refused naming %s", (topic, data, field) => {
    expect(() => read(topic, data)).toThrow(expect.objectContaining({ field }));
  });

  it("when an order is paid, then the payment is keyed by the order, as the acquirer's report of it is", () => {
    const fromOrder = read("order.paid", paid);
    const fromAcquirer = read("payment.succeeded", acquirer);
    expect(fromOrder[1]).toEqual(fromAcquirer[0]);
    expect(fromAcquirer[0]).toMatchObject({
      paymentKey: `order:${placed.id}`,
      amount: { minor: 105_000, currency: "RUB" },
    });
  });

  it("when part of an order is refunded, then that refund is money out and the order is not ended", () => {
    const facts = read("order.refunded", refunded);
    expect(refunded.fullyRefunded).toBe(false);
    expect(facts).toEqual([
      expect.objectContaining({
        kind: "payment",
        paymentKey: "refund:rf-1",
        direction: "out",
        amount: { minor: 35_000, currency: "RUB" },
      }),
    ]);
  });

  it("when a touchpoint has no time, then its fact takes the time it was received", () => {
    const [fact] = read("touchpoint.recorded", {
      channel: "site_form",
      identity: { email: "A.B@Example.com" },
    });
    expect(fact).toMatchObject({
      touchpointId: "e1",
      keys: ["email:a.b@example.com"],
      at: context.receivedAt,
    });
  });
});
