import { escapeXml, niceTicks, shortNumber } from "./svg-text.js";

// What every chart shares: an accessible <svg> (role img, labelled by its <title> and
// <desc>), a plot area, a value axis with gridlines and its label, and category labels
// thinned so they never overlap.

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Pixel y of a value. */
  y(value: number): number;
  ticks: number[];
}

export interface ChartText {
  id: string;
  title: string;
  description: string;
  valueLabel: string;
}

export function frame(min: number, max: number, width = 760, height = 300): Frame {
  const ticks = niceTicks(min, max);
  const top = 20;
  const bottom = height - 50;
  const low = ticks[0]!;
  const high = ticks.at(-1)!;
  return {
    width,
    height,
    left: 70,
    right: width - 20,
    top,
    bottom,
    ticks,
    y: (value) => bottom - ((value - low) / (high - low || 1)) * (bottom - top),
  };
}

export function openSvg(f: Frame, text: ChartText): string {
  const t = escapeXml(text.title);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="100%" role="img" aria-labelledby="${text.id}-title ${text.id}-desc">`,
    `<title id="${text.id}-title">${t}</title>`,
    `<desc id="${text.id}-desc">${escapeXml(text.description)}</desc>`,
  ].join("");
}

export function valueAxis(f: Frame, label: string): string {
  const lines = f.ticks.map((tick) => {
    const y = f.y(tick).toFixed(1);
    return `<line x1="${f.left}" x2="${f.right}" y1="${y}" y2="${y}" stroke="${tick === 0 ? "#555" : "#ddd"}"/><text x="${f.left - 6}" y="${y}" dy="4" text-anchor="end" font-size="11" fill="#333">${shortNumber(tick)}</text>`;
  });
  const middle = ((f.top + f.bottom) / 2).toFixed(0);
  return `${lines.join("")}<text transform="translate(14 ${middle}) rotate(-90)" text-anchor="middle" font-size="12" fill="#333">${escapeXml(label)}</text>`;
}

/** Labels under the plot at the given x positions, at most ~12 shown. */
export function categoryLabels(f: Frame, labels: readonly string[], xs: readonly number[]): string {
  const every = Math.max(1, Math.ceil(labels.length / 12));
  return labels
    .map((label, i) =>
      i % every === 0
        ? `<text x="${xs[i]!.toFixed(1)}" y="${f.bottom + 16}" text-anchor="middle" font-size="11" fill="#333">${escapeXml(label)}</text>`
        : "",
    )
    .join("");
}

export function legend(
  f: Frame,
  entries: ReadonlyArray<{ name: string; color: string; dashed?: boolean }>,
): string {
  return entries
    .map((entry, i) => {
      const x = f.left + i * 170;
      const y = f.height - 12;
      const mark = entry.dashed
        ? `<line x1="${x}" x2="${x + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${entry.color}" stroke-width="2" stroke-dasharray="4 3"/>`
        : `<rect x="${x}" y="${y - 10}" width="18" height="10" fill="${entry.color}"/>`;
      return `${mark}<text x="${x + 24}" y="${y}" font-size="12" fill="#333">${escapeXml(entry.name)}</text>`;
    })
    .join("");
}
