import { AppError } from "@symbiont/service-kit";
import { describe, expect, it } from "vitest";
import { sampleOrder } from "../testing/sample-order.js";
import type { ActorKind, Order } from "./order.js";
import { applyTransition, type OrderStatus, type TransitionName } from "./order-machine.js";

function orderIn(status: OrderStatus): Order {
  return { ...sampleOrder(status), history: [], version: 3 };
}

const at = "2026-12-02T09:30:00.000Z";

describe("the order's state machine", () => {
  it.each<[OrderStatus, TransitionName, ActorKind, OrderStatus]>([
    ["awaiting_payment", "pay", "acquirer", "paid"],
    ["awaiting_payment", "cancel", "customer", "cancelled"],
    ["awaiting_payment", "cancel", "partner", "cancelled"],
    ["paid", "accept", "partner", "accepted"],
    ["paid", "decline", "partner", "declined"],
    ["accepted", "start", "partner", "in_progress"],
    ["in_progress", "complete", "operator", "completed"],
    ["completed", "refund", "acquirer", "refunded"],
    ["declined", "refund", "acquirer", "refunded"],
  ])(
    "when an order %s takes %s by the %s, then it is %s, one step longer and one version newer",
    (from, name, actor, to) => {
      const next = applyTransition(orderIn(from), name, { kind: actor }, at, "why");
      expect(next.status).toBe(to);
      expect(next.version).toBe(4);
      expect(next.updatedAt).toBe(at);
      expect(next.history).toEqual([
        { transition: name, from, to, actor: { kind: actor }, at, note: "why" },
      ]);
    },
  );

  it.each<[OrderStatus, TransitionName, ActorKind, RegExp]>([
    [
      "awaiting_payment",
      "accept",
      "partner",
      /is awaiting_payment: accept is allowed from paid only/,
    ],
    ["paid", "pay", "acquirer", /pay is allowed from awaiting_payment only/],
    ["completed", "cancel", "customer", /cancel is allowed from awaiting_payment only/],
    ["cancelled", "pay", "acquirer", /is cancelled: pay is allowed from awaiting_payment only/],
    ["accepted", "complete", "partner", /complete is allowed from in_progress only/],
    [
      "refunded",
      "refund",
      "acquirer",
      /refund is allowed from paid, accepted, in_progress, completed, declined only/,
    ],
    ["awaiting_payment", "pay", "partner", /pay is taken by acquirer, not by partner/],
    ["paid", "refund", "operator", /refund is taken by acquirer, not by operator/],
    ["paid", "accept", "customer", /accept is taken by partner or operator, not by customer/],
  ])(
    "when an order %s takes %s by the %s, then it is refused (409) and unchanged",
    (from, name, actor, message) => {
      const order = orderIn(from);
      const attempt = () => applyTransition(order, name, { kind: actor }, at);
      expect(attempt).toThrow(message);
      try {
        attempt();
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).status).toBe(409);
        expect((error as AppError).code).toBe("IllegalTransition");
      }
      expect(order.status).toBe(from);
      expect(order.history).toEqual([]);
    },
  );
});
