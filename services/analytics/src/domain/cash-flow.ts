import type { AnalyticsState } from "./analytics-state.js";
import { major, windowBuckets, windowLabel, type ReportWindow } from "./report-window.js";

export interface CashFlowRow {
  period: string;
  inflow: number;
  outflow: number;
  net: number;
  payments: number;
  refunds: number;
}

export interface CashFlowReport {
  report: "cash-flow";
  from: string;
  to: string;
  granularity: ReportWindow["granularity"];
  currency: string;
  rows: CashFlowRow[];
  totals: Omit<CashFlowRow, "period">;
  /** Other currencies met in the window, left out of these figures. */
  otherCurrencies: string[];
}

/**
 * Money in (payments) and out (refunds) per day, week or month, from the running daily
 * totals. A payment told by both the acquirer and the marketplace is one payment.
 */
export function cashFlow(state: AnalyticsState, window: ReportWindow): CashFlowReport {
  const buckets = windowBuckets(window);
  const sums = buckets.starts.map(() => ({ inflow: 0, outflow: 0, payments: 0, refunds: 0 }));
  const others = new Set<string>();
  for (const [currency, days] of state.daily.cash) {
    for (let day = window.from; day <= window.to; day++) {
      const entry = days.get(day);
      if (!entry || (entry.payments === 0 && entry.refunds === 0)) continue;
      if (currency !== window.currency) {
        others.add(currency);
        continue;
      }
      const sum = sums[buckets.indexOf(day * 86_400_000)]!;
      sum.inflow += entry.inflow;
      sum.outflow += entry.outflow;
      sum.payments += entry.payments;
      sum.refunds += entry.refunds;
    }
  }
  const rows = buckets.labels.map((period, i) => {
    const sum = sums[i]!;
    return {
      period,
      inflow: major(sum.inflow),
      outflow: major(sum.outflow),
      net: major(sum.inflow - sum.outflow),
      payments: sum.payments,
      refunds: sum.refunds,
    };
  });
  const total = (field: "inflow" | "outflow" | "payments" | "refunds") =>
    sums.reduce((sum, bucket) => sum + bucket[field], 0);
  return {
    report: "cash-flow",
    ...windowLabel(window),
    granularity: window.granularity,
    currency: window.currency,
    rows,
    totals: {
      inflow: major(total("inflow")),
      outflow: major(total("outflow")),
      net: major(total("inflow") - total("outflow")),
      payments: total("payments"),
      refunds: total("refunds"),
    },
    otherCurrencies: [...others].sort(),
  };
}
