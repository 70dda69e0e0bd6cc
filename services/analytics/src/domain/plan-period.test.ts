import { describe, expect, it } from "vitest";
import { bucketKey, bucketsBetween, dayKey, parseDay } from "./calendar.js";
import { parsePlanPeriod } from "./plan-period.js";

describe("plan periods", () => {
  it.each([
    ["2026", "2026-01-01", "2026-12-31"],
    ["2026-Q1", "2026-01-01", "2026-03-31"],
    ["2026-Q4", "2026-10-01", "2026-12-31"],
    ["2028-02", "2028-02-01", "2028-02-29"],
    ["2026-W01", "2025-12-29", "2026-01-04"],
    ["2026-W53", "2026-12-28", "2027-01-03"],
    ["2026-12-01/2026-12-15", "2026-12-01", "2026-12-15"],
  ])("when a plan is for %s, then it covers %s to %s", (text, from, to) => {
    const period = parsePlanPeriod(text);
    expect(typeof period).toBe("object");
    if (typeof period === "string") return;
    expect([dayKey(period.from), dayKey(period.to)]).toEqual([from, to]);
  });

  it.each([
    ["2026-13", "a month is 01 to 12"],
    ["2026-Q5", "a quarter is Q1 to Q4"],
    ["2027-W53", "2027 has ISO weeks W01 to W52"],
    ["1999", "the year must be between 2000 and 2100"],
    ["2026-12-15/2026-12-01", "the range ends before it starts"],
    ["2026-02-30/2026-03-01", "2026-02-30 is not a date"],
    ["2026-01-01/2027-06-01", "a range spans at most 366 days"],
    ["next month", "expected a year (2026)"],
  ])("when a plan is for %s, then it is refused: %s", (text, reason) => {
    expect(parsePlanPeriod(text)).toContain(reason);
  });
});

describe("report buckets", () => {
  it.each([
    ["2026-01-01", "week", "2026-W01"],
    ["2027-01-01", "week", "2026-W53"],
    ["2024-12-30", "week", "2025-W01"],
    ["2026-03-15", "month", "2026-03"],
    ["2026-03-15", "day", "2026-03-15"],
  ] as const)("when a day is %s, then its %s bucket is %s", (day, granularity, key) => {
    const [start] = bucketsBetween(parseDay(day)!, parseDay(day)!, granularity);
    expect(bucketKey(start!, granularity)).toBe(key);
  });

  it("when a range crosses months, then each month is one bucket, in order", () => {
    const starts = bucketsBetween(parseDay("2026-01-20")!, parseDay("2026-04-02")!, "month");
    expect(starts.map((s) => bucketKey(s, "month"))).toEqual([
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
    ]);
  });
});
