import { parseInput } from "@symbiont/service-kit";
import { z } from "zod";
import type { PayoutPeriod } from "../domain/payout-report.js";
import { partnerIdSchema } from "../domain/partner.js";

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const periodQuery = z
  .strictObject({ from: instant, to: instant, partnerId: partnerIdSchema.optional() })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
    path: ["to"],
    message: "must be after from",
  })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    path: ["to"],
    message: "a period spans at most 366 days",
  });

/** `?from=2026-12-01&to=2027-01-01[&partnerId=]`: from inclusive, to exclusive. */
export function parsePeriodQuery(query: unknown): PayoutPeriod & { partnerId?: string } {
  const parsed = parseInput(periodQuery, query, "query");
  return {
    from: new Date(parsed.from),
    to: new Date(parsed.to),
    ...(parsed.partnerId ? { partnerId: parsed.partnerId } : {}),
  };
}
