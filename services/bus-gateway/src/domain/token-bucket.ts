/**
 * A token bucket: `burst` tokens, refilled at `ratePerSecond`; `take` answers whether a request
 * may pass, `waitMs` how long until one may. Partner webhooks in (one per partner, refusing
 * with 429) and deliveries out (the dispatcher waits) use it.
 */
/** Below a millionth of a token, rounding (refills add up fractions of a millisecond's worth). */
const epsilon = 1e-6;

export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  take(now = Date.now()): boolean {
    this.#refill(now);
    if (this.#tokens < 1 - epsilon) return false;
    this.#tokens = Math.max(0, this.#tokens - 1);
    return true;
  }

  /** Milliseconds until `take` will pass (0: now). */
  waitMs(now = Date.now()): number {
    this.#refill(now);
    if (this.#tokens >= 1 - epsilon) return 0;
    return Math.ceil(((1 - this.#tokens) / this.ratePerSecond) * 1000 - epsilon);
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(this.burst, this.#tokens + elapsed * this.ratePerSecond);
    this.#updatedAt = Math.max(this.#updatedAt, now);
  }
}
