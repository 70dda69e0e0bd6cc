import { describe, expect, it } from "vitest";
import { partnerOrderTransitionSchema, transitionsFrom } from "./marketplace-orders.js";

describe("the marketplace order's transitions as the partner cabinet offers them", () => {
  it.each([
    ["awaiting_payment", ["cancel"]],
    ["paid", ["accept", "decline"]],
    ["accepted", ["start"]],
    ["in_progress", ["complete"]],
    ["completed", []],
    ["refunded", []],
    ["no-such-status", []],
  ])("when an order is %s, then a partner may %j", (status, moves) => {
    expect(transitionsFrom(status, "partner")).toEqual(moves);
  });

  it("when the acquirer looks at a paid order, then it may refund it, which no partner may", () => {
    expect(transitionsFrom("paid", "acquirer")).toEqual(["refund"]);
  });

  it("when a move names a transition people do not take, then the message is refused naming it", () => {
    const parsed = partnerOrderTransitionSchema.safeParse({
      action: "order.transition",
      partnerId: "cleanco",
      orderId: "8b0c5d0e-8f3e-4a4b-9b7a-3f1d2c4e5a6b",
      transition: "refund",
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["transition"]);
  });
});
