// Calendar arithmetic in UTC on whole days (epoch days: days since 1970-01-01). Reports and
// plans bucket by UTC day, ISO week (Monday first) and month, so a figure never depends on
// the server's time zone.

export type Granularity = "day" | "week" | "month";

const dayMs = 86_400_000;

export function epochDay(time: string | number): number {
  const ms = typeof time === "number" ? time : Date.parse(time);
  return Math.floor(ms / dayMs);
}

/** `YYYY-MM-DD` of an epoch day. */
export function dayKey(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

/** Epoch day of `YYYY-MM-DD`, or undefined when it is not a real date. */
export function parseDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return undefined;
  return ms / dayMs;
}

export function monthStart(year: number, month: number): number {
  return Date.UTC(year, month - 1, 1) / dayMs;
}

/** Monday of ISO week 1 of `year` (the week holding 4 January). */
export function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4) / dayMs;
  return jan4 - ((new Date(jan4 * dayMs).getUTCDay() + 6) % 7);
}

export function isoWeeksIn(year: number): number {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7;
}

/** The first day of the bucket that holds `day`. */
export function bucketStart(day: number, granularity: Granularity): number {
  if (granularity === "day") return day;
  const date = new Date(day * dayMs);
  if (granularity === "month") return monthStart(date.getUTCFullYear(), date.getUTCMonth() + 1);
  return day - ((date.getUTCDay() + 6) % 7);
}

/** The first day of the bucket after the one starting at `start`. */
export function nextBucket(start: number, granularity: Granularity): number {
  if (granularity === "day") return start + 1;
  if (granularity === "week") return start + 7;
  const date = new Date(start * dayMs);
  return monthStart(date.getUTCFullYear(), date.getUTCMonth() + 2);
}

/** The bucket's label: `2026-12-01`, `2026-W49` (ISO week) or `2026-12`. */
export function bucketKey(start: number, granularity: Granularity): string {
  if (granularity === "day") return dayKey(start);
  if (granularity === "month") return dayKey(start).slice(0, 7);
  const thursday = start + 3;
  const year = new Date(thursday * dayMs).getUTCFullYear();
  const week = Math.floor((start - isoWeekOneMonday(year)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** Bucket starts covering the days `from`..`to` (inclusive), in order. */
export function bucketsBetween(from: number, to: number, granularity: Granularity): number[] {
  const starts: number[] = [];
  for (let start = bucketStart(from, granularity); start <= to;) {
    starts.push(start);
    start = nextBucket(start, granularity);
  }
  return starts;
}
