import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket.js";

describe("the token bucket", () => {
  it("when the burst is spent, then the next token comes after 1/rate and not before", () => {
    const bucket = new TokenBucket(4, 2, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, false]);
    expect(bucket.waitMs(0)).toBe(250);
    expect(bucket.take(249)).toBe(false);
    expect(bucket.waitMs(249)).toBe(1);
    expect(bucket.take(250)).toBe(true);
    expect(bucket.waitMs(250)).toBe(250);
  });

  it("when it has been idle, then it refills to the burst and no further", () => {
    const bucket = new TokenBucket(10, 3, 0);
    for (let i = 0; i < 3; i++) bucket.take(0);
    expect(bucket.waitMs(60_000)).toBe(0);
    expect([1, 2, 3, 4].map(() => bucket.take(60_000))).toEqual([true, true, true, false]);
  });

  it("when the clock goes back, then no tokens are made from it", () => {
    const bucket = new TokenBucket(1, 1, 10_000);
    expect(bucket.take(10_000)).toBe(true);
    expect(bucket.take(5_000)).toBe(false);
    expect(bucket.waitMs(10_000)).toBe(1000);
  });
});
