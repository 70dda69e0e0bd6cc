import { describe, expect, it } from "vitest";
import { requestRefusedEventId, requestRefusedSchema } from "./marketplace-refusals.js";

// The answer to a refused cabinet request names exactly whose request it was: a cabinet
// keeps it for that customer or partner, so an answer naming both or neither is refused.

const answer = {
  eventId: "marketplace.order.requested:r-1",
  request: "order.request",
  requestId: "r-1",
  code: "OfferUnavailable",
  reason: "it is withdrawn",
  refusedAt: "2026-12-01T10:00:00.000Z",
};

describe("marketplace.request.refused", () => {
  it.each([
    ["a customer's", { customerId: "c-1" }, true],
    ["a partner's", { partnerId: "cleanco" }, true],
    ["both a customer's and a partner's", { customerId: "c-1", partnerId: "cleanco" }, false],
    ["nobody's", {}, false],
  ])("when the answer names %s request, then it is valid: %s", (_whose, owner, valid) => {
    const parsed = requestRefusedSchema.safeParse({ ...answer, ...owner });
    expect(parsed.success).toBe(valid);
    if (!parsed.success)
      expect(parsed.error.issues[0]).toMatchObject({
        path: ["customerId"],
        message: "exactly one of customerId and partnerId names whose request it was",
      });
  });

  it.each([
    ["an unknown kind of request", { request: "offer.delete" }],
    ["a reason over 500 characters", { reason: "r".repeat(501) }],
    ["a quantity of 0", { quantity: 0 }],
    ["a time without an offset", { refusedAt: "2026-12-01 10:00" }],
  ])("when the answer has %s, then it is refused", (_what, bad) => {
    expect(requestRefusedSchema.safeParse({ ...answer, customerId: "c-1", ...bad }).success).toBe(
      false,
    );
  });

  it("when a request is refused again on redelivery, then the answer's id is the same: it is the refused event's", () => {
    expect(requestRefusedEventId("marketplace.order.requested:r-1")).toBe(
      "marketplace.request.refused:marketplace.order.requested:r-1",
    );
  });
});
