import { backtest, fitHoltWinters } from "@symbiont/analytics";
import { salesDataset } from "../../dev/datasets/sales-dataset.js";
import { seasonalSeries, weeklyPattern } from "../../dev/datasets/seasonal-series.js";
import { foldEvents } from "../../services/analytics/src/domain/fold-events.js";
import { parseDay } from "../../services/analytics/src/domain/calendar.js";
import { metricSeries } from "../../services/analytics/src/domain/forecast.js";

// The forecast back-test: Holt-Winters against the naive seasonal forecast on held-out weeks.
// (1) Synthetic daily demand (trend + weekly season + noise, seeded), 20 seeds per noise
// level, two years each, the last 8 blocks of 14 days held out in turn. (2) The daily sales
// and income of the synthetic company the tests use, through analytics' own aggregation.

const seeds = Number(process.env.BENCH_FORECAST_SEEDS ?? 20);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export function forecastBench(): string[] {
  const lines = [
    "| series | noise (sd) | series | held-out points | Holt-Winters MAPE | naive seasonal MAPE | HW lower by |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const noise of [5, 15, 30]) {
    const results = Array.from({ length: seeds }, (_, seed) =>
      backtest(
        seasonalSeries({
          seed: 1_000 + seed,
          length: 730,
          level: 300,
          trend: 0.3,
          season: weeklyPattern,
          noise,
        }),
        7,
        14,
        8,
      ),
    );
    const mape = mean(results.map((r) => r.mape));
    const naive = mean(results.map((r) => r.naiveMape));
    lines.push(
      `| trend + weekly season, level 300 | ${noise} | ${seeds} | ${results[0]!.points * seeds} | ${mape.toFixed(2)} % | ${naive.toFixed(2)} % | ${(((naive - mape) / naive) * 100).toFixed(0)} % |`,
    );
  }
  const { events } = salesDataset({
    seed: 9,
    start: "2024-12-02",
    days: 728,
    ordersPerDay: 40,
    customers: 3_000,
  });
  const state = foldEvents(events, 0);
  const window = {
    from: parseDay("2024-12-02")!,
    to: parseDay("2026-11-29")!,
    granularity: "day" as const,
    currency: "RUB",
  };
  for (const metric of ["sales", "income"] as const) {
    const series = metricSeries(state, metric, window);
    const result = backtest(series, 7, 14, 8);
    const params = fitHoltWinters(series, 7).params;
    lines.push(
      `| company ${metric} per day (alpha ${params.alpha.toFixed(2)}, beta ${params.beta.toFixed(2)}, gamma ${params.gamma.toFixed(2)}) | - | 1 | ${result.points} | ${result.mape.toFixed(2)} % | ${result.naiveMape.toFixed(2)} % | ${(result.improvement * 100).toFixed(0)} % |`,
    );
  }
  return lines;
}
