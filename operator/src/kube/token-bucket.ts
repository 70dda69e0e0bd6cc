import { setTimeout as sleep } from "node:timers/promises";

/**
 * Client-side rate limiting of API requests (client-go's default limiter, which
 * @kubernetes/client-node lacks): `qps` tokens a second, at most `burst` saved up.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Milliseconds to wait before a token is free, taking it (0 when one is free now). */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait);
  }
}
