import { describe, expect, it } from "vitest";
import { factReaders } from "./consumed-topics.js";

const context = {
  eventId: "e1",
  receivedAt: Date.parse("2026-12-01T10:00:00Z"),
  defaultCountryCode: "7",
};
const read = (topic: string, data: unknown) => factReaders.get(topic)!(data, context);
// As the marketplace and the acquirer publish them (docs/module-contract.md, "marketplace").
const paid = {
  orderId: "o1",
  paymentId: "p1",
  partnerId: "partner-1",
  customerId: "c1",
  offerId: "f1",
  category: "services",
  amount: 10.5,
  currency: "RUB",
  commission: 1.05,
  partnerPayout: 9.45,
  acquirerRef: "acq-1",
  paidAt: "2026-12-01T09:00:00Z",
};
const acquirer = {
  paymentId: "p1",
  orderId: "o1",
  amount: 10.5,
  currency: "RUB",
  acquirerRef: "acq-1",
  paidAt: "2026-12-01T09:00:00Z",
};

describe("reading the ecosystem's events", () => {
  it.each([
    ["order.paid", { ...paid, amount: -5 }, "event.amount"],
    [
      "order.created",
      { customerId: "c1", category: "x", amount: 5, currency: "RUB" },
      "event.orderId",
    ],
    ["order.refunded", { ...paid, refundId: "r1", refundedAt: paid.paidAt }, "event.fullyRefunded"],
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
      paymentKey: "order:o1",
      amount: { minor: 1050, currency: "RUB" },
    });
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
