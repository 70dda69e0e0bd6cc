// Additive Holt-Winters (triple exponential smoothing): level, trend and a seasonal pattern
// of `period` steps, each updated by its own smoothing weight. The weights are chosen by
// minimising the one-step-ahead squared error on the history (a coarse grid, then a finer
// search around the best point). The prediction band uses the variance of the equivalent
// ETS(A,A,A) model (Hyndman et al., "Forecasting with Exponential Smoothing", class 1).

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
}

export interface HoltWintersModel {
  period: number;
  params: HoltWintersParams;
  level: number;
  trend: number;
  /** Seasonal terms, indexed by step modulo period, aligned with the series' first step. */
  season: number[];
  steps: number;
  /** Standard deviation of the one-step errors after the first season. */
  sigma: number;
  sse: number;
}

export interface ForecastPoint {
  value: number;
  low: number;
  high: number;
}

/** z for a two-sided 80 % interval. */
export const bandZ = 1.2816;

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Runs the recursions over the series with given weights. */
export function runHoltWinters(
  series: number[],
  period: number,
  params: HoltWintersParams,
): HoltWintersModel {
  // Start from up to four whole seasons: the level of the first, the trend between the
  // first and the last, and each step's average offset from its season's mean.
  const seasons = Math.min(4, Math.floor(series.length / period));
  const means = Array.from({ length: seasons }, (_, j) =>
    mean(series.slice(j * period, (j + 1) * period)),
  );
  let level = means[0]!;
  let trend = seasons < 2 ? 0 : (means[seasons - 1]! - means[0]!) / ((seasons - 1) * period);
  const season = Array.from({ length: period }, (_, i) => {
    let offset = 0;
    for (let j = 0; j < seasons; j++)
      offset += series[j * period + i]! - (means[j]! + (i - (period - 1) / 2) * trend);
    return offset / seasons;
  });
  const { alpha, beta, gamma } = params;
  let sse = 0;
  let counted = 0;
  for (let t = 0; t < series.length; t++) {
    const s = season[t % period]!;
    const y = series[t]!;
    const error = y - (level + trend + s);
    if (t >= period) {
      sse += error * error;
      counted++;
    }
    const nextLevel = alpha * (y - s) + (1 - alpha) * (level + trend);
    trend = beta * (nextLevel - level) + (1 - beta) * trend;
    season[t % period] = gamma * (y - nextLevel) + (1 - gamma) * s;
    level = nextLevel;
  }
  return {
    period,
    params,
    level,
    trend,
    season,
    steps: series.length,
    sigma: counted > 1 ? Math.sqrt(sse / (counted - 1)) : 0,
    sse,
  };
}

const grid = [0.02, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9];
const betaGrid = [0, 0.01, 0.05, 0.1, 0.2, 0.4];
const clamp = (value: number, max = 0.99) => Math.min(max, Math.max(0, value));

/** Fits the weights by least one-step squared error; needs at least two full seasons. */
export function fitHoltWinters(series: number[], period: number): HoltWintersModel {
  if (period < 2) throw new RangeError("a seasonal period is at least 2 steps");
  if (series.length < 2 * period)
    throw new RangeError(`needs at least ${2 * period} steps of history`);
  let best: HoltWintersModel | undefined;
  const consider = (params: HoltWintersParams) => {
    const model = runHoltWinters(series, period, params);
    if (!best || model.sse < best.sse) best = model;
  };
  for (const alpha of grid)
    for (const beta of betaGrid) for (const gamma of grid) consider({ alpha, beta, gamma });
  // Coordinate search around the best grid point, halving the step.
  for (let step = 0.08; step >= 0.005; step /= 2) {
    let improved = true;
    while (improved) {
      const before = best!.sse;
      const { alpha, beta, gamma } = best!.params;
      for (const delta of [-step, step]) {
        consider({ alpha: clamp(alpha + delta), beta, gamma });
        consider({ alpha, beta: clamp(beta + delta), gamma });
        consider({ alpha, beta, gamma: clamp(gamma + delta) });
      }
      improved = best!.sse < before;
    }
  }
  return best!;
}

/** The next `horizon` steps with an 80 % prediction band. */
export function forecastHoltWinters(model: HoltWintersModel, horizon: number): ForecastPoint[] {
  const { alpha, beta, gamma } = model.params;
  // The same model written as ETS(A,A,A): its weights give the h-step error variance.
  const betaEts = alpha * beta;
  const gammaEts = (1 - alpha) * gamma;
  const points: ForecastPoint[] = [];
  let variance = 0;
  for (let h = 1; h <= horizon; h++) {
    if (h > 1) {
      const j = h - 1;
      const c = alpha + j * betaEts + (j % model.period === 0 ? gammaEts : 0);
      variance += c * c;
    }
    const value =
      model.level + h * model.trend + model.season[(model.steps + h - 1) % model.period]!;
    const spread = bandZ * model.sigma * Math.sqrt(1 + variance);
    points.push({ value, low: value - spread, high: value + spread });
  }
  return points;
}
