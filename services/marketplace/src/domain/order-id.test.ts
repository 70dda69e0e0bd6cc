import { z } from "zod";
import { describe, expect, it } from "vitest";
import { orderIdFor } from "./order-id.js";

describe("order ids", () => {
  it.each(["r-1", "cabinet:5f2c", "a".repeat(128)])(
    "when request %s is placed twice, then both find one id, a valid UUID",
    (requestId) => {
      expect(orderIdFor(requestId)).toBe(orderIdFor(requestId));
      expect(z.uuid().safeParse(orderIdFor(requestId)).success).toBe(true);
    },
  );

  it("when two requests differ, then so do their orders", () => {
    expect(orderIdFor("r-1")).not.toBe(orderIdFor("r-2"));
  });
});
