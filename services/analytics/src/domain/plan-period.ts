import { dayKey, isoWeekOneMonday, isoWeeksIn, monthStart, parseDay } from "./calendar.js";

/** A plan's period: its canonical label and its days, `from` to `to` inclusive (epoch days). */
export interface PlanPeriod {
  key: string;
  from: number;
  to: number;
}

const minYear = 2000;
const maxYear = 2100;
const longestRangeDays = 366;

export const planPeriodFormats =
  "expected a year (2026), quarter (2026-Q4), month (2026-12), ISO week (2026-W49) or day range (2026-12-01/2026-12-15)";

/**
 * Reads a plan period. Returns the reason as a string when the text is not a period a plan
 * can have (unknown format, a month 13, a week 53 in a 52-week year, a range that ends
 * before it starts or spans more than a year).
 */
export function parsePlanPeriod(text: string): PlanPeriod | string {
  const range = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (range) {
    const from = parseDay(range[1]!);
    const to = parseDay(range[2]!);
    if (from === undefined) return `${range[1]} is not a date`;
    if (to === undefined) return `${range[2]} is not a date`;
    if (to < from) return "the range ends before it starts";
    if (to - from + 1 > longestRangeDays) return `a range spans at most ${longestRangeDays} days`;
    return { key: `${dayKey(from)}/${dayKey(to)}`, from, to };
  }
  const match = /^(\d{4})(?:-(Q\d|W\d{2}|\d{2}))?$/.exec(text);
  if (!match) return planPeriodFormats;
  const year = Number(match[1]);
  if (year < minYear || year > maxYear) return `the year must be between ${minYear} and ${maxYear}`;
  const part = match[2];
  if (part === undefined)
    return { key: text, from: monthStart(year, 1), to: monthStart(year + 1, 1) - 1 };
  if (part.startsWith("Q")) {
    const quarter = Number(part.slice(1));
    if (quarter < 1 || quarter > 4) return "a quarter is Q1 to Q4";
    const first = (quarter - 1) * 3 + 1;
    return { key: text, from: monthStart(year, first), to: monthStart(year, first + 3) - 1 };
  }
  if (part.startsWith("W")) {
    const week = Number(part.slice(1));
    if (week < 1 || week > isoWeeksIn(year))
      return `${year} has ISO weeks W01 to W${isoWeeksIn(year)}`;
    const from = isoWeekOneMonday(year) + (week - 1) * 7;
    return { key: text, from, to: from + 6 };
  }
  const month = Number(part);
  if (month < 1 || month > 12) return "a month is 01 to 12";
  return { key: text, from: monthStart(year, month), to: monthStart(year, month + 1) - 1 };
}
