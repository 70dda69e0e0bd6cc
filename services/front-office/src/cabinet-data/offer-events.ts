import { z } from "zod";
import type { RecordUpdate } from "./record-store.js";

// Analytics' next offers as the `offers-out` route exports them (docs/module-contract.md,
// "analytics"): once per person and rule.

export const offerSuggestedTopic = "offer.suggested";

export const offerSuggestedSchema = z.object({
  suggestionId: z.string().min(1).max(300),
  customerId: z.string().min(1).max(128),
  offer: z.object({ category: z.string().max(64), title: z.string().max(200) }),
  reason: z.string().max(1000).default(""),
  suggestedAt: z.string().max(40),
});

export function offerRecord(data: z.output<typeof offerSuggestedSchema>): RecordUpdate {
  return {
    kind: "offer",
    id: data.suggestionId,
    owners: [`customer:${data.customerId}`],
    facts: {
      title: data.offer.title,
      category: data.offer.category,
      reason: data.reason,
      suggestedAt: data.suggestedAt,
    },
  };
}
