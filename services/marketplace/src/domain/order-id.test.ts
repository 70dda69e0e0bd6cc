import { z } from "zod";
import { describe, expect, it } from "vitest";
import { earlierOrderIdFor, orderIdFor } from "./order-id.js";

describe("order ids", () => {
  it.each(["r-1", "cabinet:5f2c", "a".repeat(128)])(
    "when request %s is placed twice, then both find one id, a valid UUID",
    (requestId) => {
      expect(orderIdFor("c-1", requestId)).toBe(orderIdFor("c-1", requestId));
      expect(z.uuid().safeParse(orderIdFor("c-1", requestId)).success).toBe(true);
    },
  );

  it("when two requests differ, then so do their orders", () => {
    expect(orderIdFor("c-1", "r-1")).not.toBe(orderIdFor("c-1", "r-2"));
  });

  it("when two customers choose the same request id, then each gets an order of their own", () => {
    expect(orderIdFor("c-1", "r-1")).not.toBe(orderIdFor("c-2", "r-1"));
    // No joining of the two parts can make one customer's request another's.
    expect(orderIdFor("c:1", "r")).not.toBe(orderIdFor("c", "1:r"));
  });

  it("when a request was placed before customers were part of the id, then its order keeps the id it had", () => {
    expect(earlierOrderIdFor("r-1")).not.toBe(orderIdFor("c-1", "r-1"));
    expect(z.uuid().safeParse(earlierOrderIdFor("r-1")).success).toBe(true);
    // The id the marketplace gave this request before (computed by that version's code).
    expect(earlierOrderIdFor("cabinet-request-1")).toBe("1cff8f2b-a817-50d7-98a4-a6aa1eb15c30");
  });
});
