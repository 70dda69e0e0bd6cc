import { backoffDelay } from "@symbiont/contracts";

// One partner's circuit. Every transport failure (refused, 5xx, timeout) pushes the next
// try out by exponential backoff; after `threshold` consecutive failures the circuit is
// open: nothing is sent but one probe when the backoff has passed, and new messages are
// buffered. The first success closes it.

export type CircuitState = "closed" | "open";

export interface CircuitOptions {
  threshold: number;
  initialMs: number;
  maxMs: number;
}

export class CircuitBreaker {
  #failures = 0;
  #retryAt = 0;

  constructor(private readonly options: CircuitOptions) {}

  get state(): CircuitState {
    return this.#failures >= this.options.threshold ? "open" : "closed";
  }

  get failures(): number {
    return this.#failures;
  }

  /** The earliest time of the next attempt (epoch ms); 0 when there is no wait. */
  get retryAt(): number {
    return this.#retryAt;
  }

  /** May a delivery (or, when open, the probe) be attempted now? */
  allows(now: number): boolean {
    return now >= this.#retryAt;
  }

  /** Returns true when this success closed an open circuit. */
  recordSuccess(): boolean {
    const wasOpen = this.state === "open";
    this.#failures = 0;
    this.#retryAt = 0;
    return wasOpen;
  }

  /** Returns true when this failure opened the circuit. */
  recordFailure(now: number): boolean {
    this.#failures += 1;
    this.#retryAt = now + backoffDelay(this.#failures, this.options.initialMs, this.options.maxMs);
    return this.#failures === this.options.threshold;
  }
}
