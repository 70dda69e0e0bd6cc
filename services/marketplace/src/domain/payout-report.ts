import type { MarketplaceDeps } from "./marketplace-deps.js";
import { summarisePayouts, type PayoutLine } from "./payouts.js";

export interface PayoutPeriod {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** What each partner is owed for a period: payments and refunds booked in it, less commission. */
export async function payoutReport(
  deps: MarketplaceDeps,
  period: PayoutPeriod,
  partnerId?: string,
): Promise<{ from: string; to: string; lines: PayoutLine[] }> {
  const movements = await deps.movements.between(period.from, period.to, partnerId);
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    lines: summarisePayouts(movements),
  };
}
