import { fitHoltWinters, forecastHoltWinters } from "./holt-winters.js";
import { seasonalNaive } from "./seasonal-naive.js";

export interface BacktestResult {
  horizon: number;
  folds: number;
  /** Held-out points scored (points whose actual value is 0 have no percentage error). */
  points: number;
  /** Mean absolute percentage error of Holt-Winters on the held-out points. */
  mape: number;
  /** The same for the naive seasonal forecast. */
  naiveMape: number;
  /** How much lower Holt-Winters' MAPE is, as a share of the naive one (0.25 = 25 % lower). */
  improvement: number;
}

/**
 * Rolling-origin back-test: the last `folds` blocks of `horizon` steps are held out in turn;
 * each is forecast from the history before it, by Holt-Winters fitted on that history alone
 * and by the naive seasonal forecast, and both are scored on the same points.
 */
export function backtest(
  series: number[],
  period: number,
  horizon: number,
  folds: number,
): BacktestResult {
  let points = 0;
  let errors = 0;
  let naiveErrors = 0;
  let usedFolds = 0;
  for (let fold = folds; fold >= 1; fold--) {
    const cut = series.length - fold * horizon;
    if (cut < 2 * period) continue;
    const history = series.slice(0, cut);
    const actual = series.slice(cut, cut + horizon);
    const forecast = forecastHoltWinters(fitHoltWinters(history, period), actual.length);
    const naive = seasonalNaive(history, period, actual.length);
    usedFolds++;
    actual.forEach((value, i) => {
      if (value === 0) return;
      points++;
      errors += Math.abs((value - forecast[i]!.value) / value);
      naiveErrors += Math.abs((value - naive[i]!) / value);
    });
  }
  if (points === 0) throw new RangeError("not enough history for one held-out block");
  const mape = (errors / points) * 100;
  const naiveMape = (naiveErrors / points) * 100;
  return {
    horizon,
    folds: usedFolds,
    points,
    mape,
    naiveMape,
    improvement: naiveMape === 0 ? 0 : (naiveMape - mape) / naiveMape,
  };
}
