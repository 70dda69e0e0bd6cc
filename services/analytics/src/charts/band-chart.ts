import {
  categoryLabels,
  frame,
  legend,
  openSvg,
  valueAxis,
  type ChartText,
} from "./chart-frame.js";

export interface BandPoint {
  period: string;
  value: number;
  low: number;
  high: number;
}

const historyColor = "#1f5f99";
const forecastColor = "#b35900";
const bandColor = "#f3d3b0";

/** History as a solid line, the forecast as a dashed line inside its shaded band. */
export function bandChart(
  text: ChartText,
  history: ReadonlyArray<{ period: string; value: number }>,
  forecast: readonly BandPoint[],
): string {
  const values = [...history.map((p) => p.value), ...forecast.flatMap((p) => [p.low, p.high])];
  const f = frame(Math.min(0, ...values), Math.max(0, ...values));
  const labels = [...history.map((p) => p.period), ...forecast.map((p) => p.period)];
  const step = (f.right - f.left) / Math.max(1, labels.length - 1);
  const xs = labels.map((_, i) => f.left + step * i);
  const point = (i: number, value: number) => `${xs[i]!.toFixed(1)},${f.y(value).toFixed(1)}`;
  const offset = history.length;
  const band = [
    ...forecast.map((p, i) => point(offset + i, p.high)),
    ...forecast.map((p, i) => point(offset + i, p.low)).reverse(),
  ].join(" ");
  const historyLine = history.map((p, i) => point(i, p.value)).join(" ");
  // The forecast line starts at the last actual value, so the two lines join.
  const forecastLine = [
    ...(history.length > 0 ? [point(offset - 1, history.at(-1)!.value)] : []),
    ...forecast.map((p, i) => point(offset + i, p.value)),
  ].join(" ");
  return [
    openSvg(f, text),
    valueAxis(f, text.valueLabel),
    forecast.length > 0 ? `<polygon points="${band}" fill="${bandColor}" stroke="none"/>` : "",
    `<polyline points="${historyLine}" fill="none" stroke="${historyColor}" stroke-width="2"/>`,
    `<polyline points="${forecastLine}" fill="none" stroke="${forecastColor}" stroke-width="2" stroke-dasharray="6 4"/>`,
    categoryLabels(f, labels, xs),
    legend(f, [
      { name: "actual", color: historyColor },
      { name: "forecast", color: forecastColor, dashed: true },
      { name: "80 % band", color: bandColor },
    ]),
    "</svg>",
  ].join("");
}
