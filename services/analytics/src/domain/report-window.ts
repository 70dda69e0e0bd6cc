import {
  bucketStart,
  bucketsBetween,
  bucketKey,
  dayKey,
  epochDay,
  type Granularity,
} from "./calendar.js";

/** What a report covers: UTC days `from` to `to` inclusive, bucketed, in one currency. */
export interface ReportWindow {
  from: number;
  to: number;
  granularity: Granularity;
  currency: string;
}

/** Buckets of a window, with a lookup from an event time to its bucket's position. */
export interface WindowBuckets {
  starts: number[];
  labels: string[];
  /** Position of the bucket holding `atMs`, or -1 outside the window. */
  indexOf(atMs: number): number;
}

export function windowBuckets(window: ReportWindow): WindowBuckets {
  const starts = bucketsBetween(window.from, window.to, window.granularity);
  const position = new Map(starts.map((start, i) => [start, i]));
  return {
    starts,
    labels: starts.map((start) => bucketKey(start, window.granularity)),
    indexOf(atMs) {
      const day = epochDay(atMs);
      if (day < window.from || day > window.to) return -1;
      return position.get(bucketStart(day, window.granularity)) ?? -1;
    },
  };
}

export function inWindow(window: ReportWindow, atMs: number): boolean {
  const day = epochDay(atMs);
  return day >= window.from && day <= window.to;
}

/** Minor units as the decimal amount people read (two decimals). */
export function major(minor: number): number {
  return minor / 100;
}

export function windowLabel(window: ReportWindow): { from: string; to: string } {
  return { from: dayKey(window.from), to: dayKey(window.to) };
}
