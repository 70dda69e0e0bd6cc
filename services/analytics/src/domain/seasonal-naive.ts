/** The naive seasonal forecast: each step repeats the value one season earlier. */
export function seasonalNaive(series: number[], period: number, horizon: number): number[] {
  if (series.length < period) throw new RangeError(`needs at least ${period} steps of history`);
  const n = series.length;
  return Array.from({ length: horizon }, (_, i) => series[n - period + (i % period)]!);
}
