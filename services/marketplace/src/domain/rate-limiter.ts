// Rate limits per API key: a token bucket per key, refilled continuously. A refused request
// learns how long until the next token (Retry-After). Buckets that have filled up again are
// forgotten, so the map holds only keys that were busy lately. Per process: with several
// replicas each enforces the limit on the requests it serves.

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class KeyedRateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly maxKeys = 100_000) {}

  take(key: string, limit: RateLimit, now = Date.now()): RateDecision {
    const previous = this.#buckets.get(key);
    const refilled = previous
      ? Math.min(limit.burst, previous.tokens + ((now - previous.at) / 1000) * limit.perSecond)
      : limit.burst;
    if (refilled < 1) {
      this.#buckets.set(key, { tokens: refilled, at: now });
      return { allowed: false, retryAfterSeconds: Math.ceil((1 - refilled) / limit.perSecond) };
    }
    this.#buckets.set(key, { tokens: refilled - 1, at: now });
    if (this.#buckets.size > this.maxKeys) this.#forgetIdle(limit, now);
    return { allowed: true };
  }

  get size(): number {
    return this.#buckets.size;
  }

  #forgetIdle(limit: RateLimit, now: number): void {
    const fullAfterMs = (limit.burst / limit.perSecond) * 1000;
    for (const [key, bucket] of this.#buckets)
      if (now - bucket.at >= fullAfterMs) this.#buckets.delete(key);
  }
}
