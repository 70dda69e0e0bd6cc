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
  /** Payments in the window whose amount is not known yet (their order was not seen). */
  unpriced: number;
  /** Other currencies met in the window, left out of these figures. */
  otherCurrencies: string[];
}

/**
 * Money in (payments) and out (refunds) per day, week or month. A payment told by both the
 * acquirer and the order is one payment; one without an amount takes its order's total.
 */
export function cashFlow(state: AnalyticsState, window: ReportWindow): CashFlowReport {
  const buckets = windowBuckets(window);
  const inflow = buckets.starts.map(() => 0);
  const outflow = buckets.starts.map(() => 0);
  const payments = buckets.starts.map(() => 0);
  const refunds = buckets.starts.map(() => 0);
  const others = new Set<string>();
  let unpriced = 0;
  for (const payment of state.payments.values()) {
    const i = buckets.indexOf(payment.at);
    if (i < 0) continue;
    const amount =
      payment.amount ?? (payment.orderId ? state.orders.get(payment.orderId)?.total : undefined);
    if (!amount) {
      unpriced++;
      continue;
    }
    if (amount.currency !== window.currency) {
      others.add(amount.currency);
      continue;
    }
    if (payment.direction === "in") {
      inflow[i]! += amount.minor;
      payments[i]!++;
    } else {
      outflow[i]! += amount.minor;
      refunds[i]!++;
    }
  }
  const rows = buckets.labels.map((period, i) => ({
    period,
    inflow: major(inflow[i]!),
    outflow: major(outflow[i]!),
    net: major(inflow[i]! - outflow[i]!),
    payments: payments[i]!,
    refunds: refunds[i]!,
  }));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    report: "cash-flow",
    ...windowLabel(window),
    granularity: window.granularity,
    currency: window.currency,
    rows,
    totals: {
      inflow: major(sum(inflow)),
      outflow: major(sum(outflow)),
      net: major(sum(inflow) - sum(outflow)),
      payments: sum(payments),
      refunds: sum(refunds),
    },
    unpriced,
    otherCurrencies: [...others].sort(),
  };
}
