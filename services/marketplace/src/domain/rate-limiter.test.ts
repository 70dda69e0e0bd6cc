import { describe, expect, it } from "vitest";
import { KeyedRateLimiter } from "./rate-limiter.js";

describe("rate limits per API key", () => {
  it("when a key spends its burst, then the next request is refused with the wait until the next token", () => {
    const limiter = new KeyedRateLimiter();
    const limit = { perSecond: 2, burst: 3 };
    const decisions = [0, 0, 0, 0].map(() => limiter.take("k1", limit, 1_000));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("when time passes, then tokens come back at the key's rate, never above its burst", () => {
    const limiter = new KeyedRateLimiter();
    const limit = { perSecond: 2, burst: 3 };
    for (let i = 0; i < 3; i++) limiter.take("k1", limit, 0);
    expect(limiter.take("k1", limit, 499).allowed).toBe(false);
    expect(limiter.take("k1", limit, 1_000).allowed).toBe(true);
    const later = [0, 0, 0, 0].map(() => limiter.take("k1", limit, 60_000).allowed);
    expect(later).toEqual([true, true, true, false]);
  });

  it("when one key is over its limit, then another key is not", () => {
    const limiter = new KeyedRateLimiter();
    const limit = { perSecond: 1, burst: 1 };
    expect(limiter.take("a", limit, 0).allowed).toBe(true);
    expect(limiter.take("a", limit, 0).allowed).toBe(false);
    expect(limiter.take("b", limit, 0).allowed).toBe(true);
  });

  it("when more keys than it keeps were busy, then only the ones still refilling stay", () => {
    const limiter = new KeyedRateLimiter(2);
    const limit = { perSecond: 10, burst: 10 };
    limiter.take("old", limit, 0);
    limiter.take("older", limit, 0);
    limiter.take("new", limit, 5_000);
    expect(limiter.size).toBe(1);
  });
});
