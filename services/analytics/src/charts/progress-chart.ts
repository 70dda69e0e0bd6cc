import { openSvg, type ChartText } from "./chart-frame.js";
import { escapeXml } from "./svg-text.js";

export interface ProgressRow {
  label: string;
  /** fact / target. */
  progress: number;
  /** The share of the target due by now. */
  expected: number;
  caption: string;
}

const rowHeight = 44;

/** One bar per plan: the fact as a share of the target, with a mark where it should be by now. */
export function progressChart(text: ChartText, rows: readonly ProgressRow[]): string {
  const width = 760;
  const left = 230;
  const right = width - 60;
  const height = Math.max(1, rows.length) * rowHeight + 30;
  const x = (share: number) => left + Math.min(1.5, Math.max(0, share)) * ((right - left) / 1.5);
  const f = { width, height, left, right, top: 0, bottom: height, ticks: [], y: () => 0 };
  const body = rows.map((row, i) => {
    const y = 10 + i * rowHeight;
    const color = row.progress >= row.expected ? "#2e7d32" : "#c62828";
    return [
      `<text x="${left - 8}" y="${y + 14}" text-anchor="end" font-size="12" fill="#222">${escapeXml(row.label)}</text>`,
      `<rect x="${left}" y="${y}" width="${(x(1) - left).toFixed(1)}" height="20" fill="#e6e6e6"/>`,
      `<rect x="${left}" y="${y}" width="${(x(row.progress) - left).toFixed(1)}" height="20" fill="${color}"/>`,
      `<line x1="${x(row.expected).toFixed(1)}" x2="${x(row.expected).toFixed(1)}" y1="${y - 3}" y2="${y + 23}" stroke="#111" stroke-width="2"/>`,
      `<text x="${left}" y="${y + 34}" font-size="11" fill="#333">${escapeXml(row.caption)}</text>`,
    ].join("");
  });
  const footer = `<text x="${x(1).toFixed(1)}" y="${height - 4}" text-anchor="middle" font-size="11" fill="#333">target</text>`;
  return `${openSvg(f, text)}${body.join("")}${footer}</svg>`;
}
