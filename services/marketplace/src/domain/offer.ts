import { z } from "zod";
import { moneySchema, type Money } from "./money.js";
import { codeSchema } from "./rulebook.js";

// An offer: a partner's service in the domain's own unit ("cleaning of common areas, per
// flat per month"; "delivery"), its price per unit and the SLA it promises.

export const slaSchema = z.strictObject({
  /** Hours within which the partner accepts or declines a paid order. */
  responseHours: z.number().int().min(1).max(8_760),
  /** Hours within which the partner completes an order it accepted. */
  completionHours: z.number().int().min(1).max(87_600),
});
export type Sla = z.output<typeof slaSchema>;

export const offerTermsSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(4_000).default(""),
  category: codeSchema,
  unit: codeSchema,
  price: moneySchema,
  sla: slaSchema,
});
export type OfferTerms = z.output<typeof offerTermsSchema>;

export const offerStatuses = ["active", "withdrawn", "suspended"] as const;
export type OfferStatus = (typeof offerStatuses)[number];

export interface Offer extends OfferTerms {
  id: string;
  partnerId: string;
  status: OfferStatus;
  /** Why it is suspended: the rule a newer rulebook says it breaks. */
  suspendedBy?: string;
  /** The rulebook version the terms were last checked against. */
  rulesVersion: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type { Money };
