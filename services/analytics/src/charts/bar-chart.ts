import {
  categoryLabels,
  frame,
  legend,
  openSvg,
  valueAxis,
  type ChartText,
} from "./chart-frame.js";
import { escapeXml, shortNumber } from "./svg-text.js";

export interface BarSeries {
  name: string;
  color: string;
  values: readonly number[];
}

/** Grouped vertical bars, one group per label (e.g. money in and out per day). */
export function barChart(
  text: ChartText,
  labels: readonly string[],
  series: readonly BarSeries[],
): string {
  const all = series.flatMap((s) => s.values);
  const f = frame(Math.min(0, ...all), Math.max(0, ...all));
  const slot = (f.right - f.left) / Math.max(1, labels.length);
  const barWidth = Math.max(1, (slot * 0.8) / series.length);
  const centres = labels.map((_, i) => f.left + slot * (i + 0.5));
  const bars = series.flatMap((s, k) =>
    s.values.map((value, i) => {
      const x = f.left + slot * i + slot * 0.1 + k * barWidth;
      const top = Math.min(f.y(value), f.y(0));
      const height = Math.abs(f.y(value) - f.y(0));
      return `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${labels[i]}: ${s.name} ${shortNumber(value)}`)}</title></rect>`;
    }),
  );
  return `${openSvg(f, text)}${valueAxis(f, text.valueLabel)}${bars.join("")}${categoryLabels(f, labels, centres)}${legend(f, series)}</svg>`;
}
