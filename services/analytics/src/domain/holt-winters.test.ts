import { describe, expect, it } from "vitest";
import { seasonalSeries, weeklyPattern } from "../../../../dev/datasets/seasonal-series.js";
import { backtest } from "./backtest.js";
import { fitHoltWinters, forecastHoltWinters, runHoltWinters } from "./holt-winters.js";
import { seasonalNaive } from "./seasonal-naive.js";

describe("Holt-Winters", () => {
  it("when the series is trend plus season without noise, then the forecast continues both", () => {
    const series = seasonalSeries({
      seed: 1,
      length: 70,
      level: 200,
      trend: 2,
      season: weeklyPattern,
      noise: 0,
    });
    const truth = seasonalSeries({
      seed: 1,
      length: 84,
      level: 200,
      trend: 2,
      season: weeklyPattern,
      noise: 0,
    });
    const forecast = forecastHoltWinters(fitHoltWinters(series, 7), 14);
    forecast.forEach((point, i) => expect(point.value).toBeCloseTo(truth[70 + i]!, 0));
  });

  it.each([
    { seed: 11, noise: 10, trend: 1 },
    { seed: 12, noise: 20, trend: 0.5 },
    { seed: 13, noise: 15, trend: -0.3 },
  ])(
    "when demand has trend, weekly season and noise (seed $seed), then its back-test MAPE is lower than the naive seasonal forecast's",
    ({ seed, noise, trend }) => {
      const series = seasonalSeries({
        seed,
        length: 364,
        level: 300,
        trend,
        season: weeklyPattern,
        noise,
      });
      const result = backtest(series, 7, 14, 6);
      expect(result.folds).toBe(6);
      expect(result.points).toBe(84);
      expect(result.mape).toBeLessThan(result.naiveMape);
      expect(result.improvement).toBeGreaterThan(0.15);
    },
  );

  it("when the weights are fitted, then no grid neighbour has a smaller one-step error", () => {
    const series = seasonalSeries({
      seed: 5,
      length: 140,
      level: 100,
      trend: 0.5,
      season: weeklyPattern,
      noise: 8,
    });
    const model = fitHoltWinters(series, 7);
    for (const delta of [-0.01, 0.01]) {
      const { alpha, beta, gamma } = model.params;
      for (const params of [
        { alpha: alpha + delta, beta, gamma },
        { alpha, beta: beta + delta, gamma },
        { alpha, beta, gamma: gamma + delta },
      ]) {
        if (Object.values(params).some((w) => w < 0 || w > 0.99)) continue;
        expect(runHoltWinters(series, 7, params).sse).toBeGreaterThanOrEqual(model.sse * 0.999);
      }
    }
  });

  it("when the horizon grows, then the band widens and always holds the forecast", () => {
    const series = seasonalSeries({
      seed: 7,
      length: 98,
      level: 100,
      trend: 1,
      season: weeklyPattern,
      noise: 10,
    });
    const points = forecastHoltWinters(fitHoltWinters(series, 7), 21);
    for (const [i, point] of points.entries()) {
      expect(point.low).toBeLessThan(point.value);
      expect(point.high).toBeGreaterThan(point.value);
      if (i > 0)
        expect(point.high - point.low).toBeGreaterThanOrEqual(
          points[i - 1]!.high - points[i - 1]!.low - 1e-9,
        );
    }
  });

  it("when there are fewer than two seasons, then fitting refuses", () => {
    expect(() => fitHoltWinters([1, 2, 3, 4, 5, 6, 7, 8, 9], 7)).toThrow("needs at least 14 steps");
  });
});

describe("the naive seasonal forecast", () => {
  it.each([
    { horizon: 3, expected: [5, 6, 7] },
    { horizon: 5, expected: [5, 6, 7, 5, 6] },
  ])(
    "when asked $horizon steps ahead of a 3-step season, then it repeats the last season",
    ({ horizon, expected }) => {
      expect(seasonalNaive([1, 2, 3, 5, 6, 7], 3, horizon)).toEqual(expected);
    },
  );
});
