import { fromMinor } from "./money.js";

// Payouts per partner and period: what the acquirer took for a partner's orders, less the
// marketplace's commission, less refunds (a refund returns its share of the commission).

export interface Movement {
  /** `payment:<paymentId>` or `refund:<refundId>`. */
  id: string;
  kind: "payment" | "refund";
  partnerId: string;
  orderId: string;
  currency: string;
  /** Negative for refunds. */
  grossMinor: number;
  commissionMinor: number;
  at: string;
}

export interface PayoutLine {
  partnerId: string;
  currency: string;
  payments: number;
  refunds: number;
  gross: number;
  commission: number;
  payout: number;
}

/** One line per partner and currency, sorted by partner (pure). */
export function summarisePayouts(movements: readonly Movement[]): PayoutLine[] {
  const lines = new Map<string, PayoutLine & { grossMinor: number; commissionMinor: number }>();
  for (const m of movements) {
    const key = `${m.partnerId}\u0000${m.currency}`;
    const line = lines.get(key) ?? {
      partnerId: m.partnerId,
      currency: m.currency,
      payments: 0,
      refunds: 0,
      gross: 0,
      commission: 0,
      payout: 0,
      grossMinor: 0,
      commissionMinor: 0,
    };
    if (m.kind === "payment") line.payments += 1;
    else line.refunds += 1;
    line.grossMinor += m.grossMinor;
    line.commissionMinor += m.commissionMinor;
    lines.set(key, line);
  }
  return [...lines.values()]
    .sort((a, b) => a.partnerId.localeCompare(b.partnerId) || a.currency.localeCompare(b.currency))
    .map(({ grossMinor, commissionMinor, ...line }) => ({
      ...line,
      gross: fromMinor(grossMinor),
      commission: fromMinor(commissionMinor),
      payout: fromMinor(grossMinor - commissionMinor),
    }));
}
