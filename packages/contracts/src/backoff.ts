// The one retry curve: a delivery policy's backoff (Ecosystem spec.delivery.backoff, initial
// doubling up to max) as the bus gateway applies it, and the operator's own retries (its
// work queue's per-key backoff, its watches' reconnects).

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential from `initialMs`,
 * capped at `maxMs`. `jitter` in [0, 1) spreads retries of many messages (0 = none).
 */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  jitter = 0,
): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(exponent, 40));
  return Math.round(base * (1 - jitter * 0.5));
}
