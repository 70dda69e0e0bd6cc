import { requestRefusedSchema } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import type { Refusal } from "../data/refusal-store.js";
import { requestRefused } from "./refusal-events.js";

const offerId = "4b8f0f0e-6f0e-4f5e-9d7e-1f2a3b4c5d6e";
const refusal = (topic: string, data: unknown, extra: Partial<Refusal> = {}): Refusal => ({
  eventId: `${topic}:1`,
  topic,
  code: "OfferNotForSale",
  reason: "offer is withdrawn",
  at: "2026-12-01T10:00:00.000Z",
  data,
  ...extra,
});

describe("the answer to a refused cabinet request", () => {
  it("when an order request is refused, then the customer is answered with what they asked for and why", () => {
    const event = requestRefused(
      refusal("marketplace.order.requested", {
        requestId: "r-1",
        offerId,
        customerId: "c-1",
        quantity: 3,
        note: "entrance 2",
      }),
    );
    expect(event).toEqual({
      id: "marketplace.request.refused:marketplace.order.requested:1",
      topic: "marketplace.request.refused",
      data: {
        eventId: "marketplace.order.requested:1",
        request: "order.request",
        customerId: "c-1",
        requestId: "r-1",
        offerId,
        quantity: 3,
        code: "OfferNotForSale",
        reason: "offer is withdrawn",
        refusedAt: "2026-12-01T10:00:00.000Z",
      },
    });
    // The note stays with the request: the answer says only what identifies it.
    expect(JSON.stringify(event)).not.toContain("entrance");
  });

  it("when a partner's offer edit breaks a rule, then the partner is answered with the rule", () => {
    const event = requestRefused(
      refusal(
        "marketplace.partner.updated",
        { action: "offer.upsert", partnerId: "p-1", offerId, offer: { title: "x" } },
        { code: "RuleBroken", reason: "price above the ceiling", rule: "price-ceiling" },
      ),
    );
    expect(event?.data).toMatchObject({
      request: "offer.upsert",
      partnerId: "p-1",
      offerId,
      rule: "price-ceiling",
    });
    expect(event?.data.customerId).toBeUndefined();
  });

  it("when a move of an order is refused, then the answer names the order and the move", () => {
    const event = requestRefused(
      refusal("marketplace.partner.updated", {
        action: "order.transition",
        partnerId: "p-1",
        orderId: "o-1",
        transition: "start",
      }),
    );
    expect(event?.data).toMatchObject({
      request: "order.transition",
      orderId: "o-1",
      transition: "start",
    });
  });

  it("when the refused quantity is out of range, then the answer leaves it out and still goes", () => {
    const event = requestRefused(
      refusal("marketplace.order.requested", {
        requestId: "r-1",
        offerId,
        customerId: "c-1",
        quantity: 0,
      }),
    );
    expect(event?.data.quantity).toBeUndefined();
    expect(requestRefusedSchema.safeParse(event?.data).success).toBe(true);
  });

  it.each([
    ["a payment callback", "payment.succeeded", { orderId: "o-1" }],
    ["an order request naming no customer", "marketplace.order.requested", { offerId }],
    ["an update of no known kind", "marketplace.partner.updated", { action: "x", partnerId: "p" }],
    ["a payload that is not an object", "marketplace.order.requested", "text"],
    ["an id too long to be one", "marketplace.order.requested", { customerId: "c".repeat(129) }],
  ])("when %s is refused, then nobody is answered", (_what, topic, data) => {
    expect(requestRefused(refusal(topic, data))).toBeUndefined();
  });

  it("when the reason is long, then the answer carries its first 500 characters", () => {
    const event = requestRefused(
      refusal(
        "marketplace.order.requested",
        { customerId: "c-1" },
        { reason: "r".repeat(800), code: "InvalidInput" },
      ),
    );
    expect(event?.data.reason).toHaveLength(500);
  });
});
