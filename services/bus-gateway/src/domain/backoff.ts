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
