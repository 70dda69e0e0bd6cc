import { z } from "zod";
import { epochDay, parseDay } from "../domain/calendar.js";
import { currencyCode } from "../domain/plan.js";
import type { ReportWindow } from "../domain/report-window.js";

// The query every report takes: `from` and `to` (UTC days, inclusive; the last 30 days by
// default), `granularity`, `currency` and `format`.

const longestSpanDays = 1_096;

const day = z.string().transform((text, context) => {
  const parsed = parseDay(text);
  if (parsed === undefined) {
    context.addIssue({ code: "custom", message: "expected a date as YYYY-MM-DD" });
    return z.NEVER;
  }
  return parsed;
});

export const formats = ["json", "csv"] as const;

export function reportQuerySchema(defaultCurrency: string, nowMs: () => number) {
  return z
    .strictObject({
      from: day.optional(),
      to: day.optional(),
      granularity: z.enum(["day", "week", "month"]).default("day"),
      currency: currencyCode.default(defaultCurrency),
      format: z.enum(formats).default("json"),
    })
    .transform((query, context) => {
      const to = query.to ?? epochDay(nowMs());
      const from = query.from ?? to - 29;
      if (to < from) {
        context.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
        return z.NEVER;
      }
      if (to - from + 1 > longestSpanDays) {
        context.addIssue({
          code: "custom",
          path: ["to"],
          message: `a report spans at most ${longestSpanDays} days`,
        });
        return z.NEVER;
      }
      const window: ReportWindow = {
        from,
        to,
        granularity: query.granularity,
        currency: query.currency,
      };
      return { window, format: query.format };
    });
}
