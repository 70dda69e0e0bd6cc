import { AppError } from "@symbiont/service-kit";
import type { AnalyticsState } from "./analytics-state.js";
import { backtest, type BacktestResult } from "./backtest.js";
import { bucketStart, epochDay, nextBucket, type Granularity } from "./calendar.js";
import { cashFlow } from "./cash-flow.js";
import {
  bandZ,
  fitHoltWinters,
  forecastHoltWinters,
  type HoltWintersParams,
} from "./holt-winters.js";
import { windowBuckets, type ReportWindow } from "./report-window.js";

export const forecastMetrics = ["income", "sales"] as const;
export type ForecastMetric = (typeof forecastMetrics)[number];

/** Steps in one season: a week of days, a year of weeks or of months. */
export const seasonOf: Record<Granularity, number> = { day: 7, week: 52, month: 12 };

export interface ForecastQuery {
  metric: ForecastMetric;
  granularity: Granularity;
  horizon: number;
  /** Most buckets of history to fit on. */
  history: number;
  currency: string;
}

export interface ForecastReport {
  report: "forecast";
  metric: ForecastMetric;
  granularity: Granularity;
  currency?: string;
  method: "holt-winters-additive";
  season: number;
  params: HoltWintersParams;
  band: { level: 0.8; z: number };
  history: Array<{ period: string; value: number }>;
  forecast: Array<{ period: string; value: number; low: number; high: number }>;
  /** Rolling-origin back-test on the same history (null when it is too short for one). */
  backtest: BacktestResult | null;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Income (net money in) or sales (paid orders) per bucket over `window`. */
export function metricSeries(
  state: AnalyticsState,
  metric: ForecastMetric,
  window: ReportWindow,
): number[] {
  if (metric === "income") return cashFlow(state, window).rows.map((row) => row.net);
  const buckets = windowBuckets(window);
  const values = buckets.starts.map(() => 0);
  for (let day = window.from; day <= window.to; day++)
    values[buckets.indexOf(day * 86_400_000)]! += state.daily.paidOrders.get(day) ?? 0;
  return values;
}

/**
 * Forecasts income or sales from the complete buckets before today: Holt-Winters with its
 * weights fitted on the history, an 80 % band, and a back-test against the naive seasonal
 * forecast on the same history. Leading empty buckets (before the first sale) are left out.
 */
export function forecast(
  state: AnalyticsState,
  query: ForecastQuery,
  nowMs: number,
): ForecastReport {
  const { granularity } = query;
  const season = seasonOf[granularity];
  const current = bucketStart(epochDay(nowMs), granularity);
  let start = current;
  for (let i = 0; i < query.history; i++) start = previousBucket(start, granularity);
  const window = { from: start, to: current - 1, granularity, currency: query.currency };
  const labels = windowBuckets(window).labels;
  const series = metricSeries(state, query.metric, window);
  const firstUsed = Math.max(
    0,
    series.findIndex((value) => value !== 0),
  );
  const used = series.slice(firstUsed);
  if (used.length < 2 * season || series.every((value) => value === 0)) {
    throw new AppError({
      status: 422,
      code: "InsufficientHistory",
      message: `a ${granularity} forecast needs at least ${2 * season} ${granularity}s of history with ${query.metric}; there are ${series.every((v) => v === 0) ? 0 : used.length}`,
      details: { needed: 2 * season, have: series.every((v) => v === 0) ? 0 : used.length },
    });
  }
  const model = fitHoltWinters(used, season);
  const points = forecastHoltWinters(model, query.horizon);
  const futureLabels: string[] = [];
  for (
    let bucket = current, i = 0;
    i < query.horizon;
    i++, bucket = nextBucket(bucket, granularity)
  )
    futureLabels.push(windowBuckets({ ...window, from: bucket, to: bucket }).labels[0]!);
  let check: BacktestResult | null = null;
  try {
    check = backtest(used, season, query.horizon, 3);
  } catch {
    check = null;
  }
  return {
    report: "forecast",
    metric: query.metric,
    granularity,
    ...(query.metric === "income" ? { currency: query.currency } : {}),
    method: "holt-winters-additive",
    season,
    params: model.params,
    band: { level: 0.8, z: bandZ },
    history: used.map((value, i) => ({ period: labels[firstUsed + i]!, value: round2(value) })),
    forecast: points.map((point, i) => ({
      period: futureLabels[i]!,
      value: round2(point.value),
      low: round2(point.low),
      high: round2(point.high),
    })),
    backtest: check,
  };
}

function previousBucket(start: number, granularity: Granularity): number {
  return bucketStart(start - 1, granularity);
}
