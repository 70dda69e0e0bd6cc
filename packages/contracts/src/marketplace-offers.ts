import { z } from "zod";
import { partnerIdSchema } from "./marketplace-orders.js";

// A marketplace offer's terms, as a partner sets them: in the marketplace's partner API and
// from the partner cabinet (`marketplace.partner.updated`, actions `offer.upsert` and
// `offer.withdraw`). The marketplace checks them further against its rulebook.

/** A code: a category, a unit, a rule's name. */
export const marketCodeSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "expected a code of a-z, 0-9 and '-'");

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, "expected an ISO 4217 code such as RUB");

/** A decimal amount in major units with at most two decimals. */
export const amountSchema = z
  .number()
  .finite()
  .nonnegative()
  .max(1_000_000_000)
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, "at most 2 decimals");

export const moneySchema = z.strictObject({ amount: amountSchema, currency: currencySchema });
export type Money = z.output<typeof moneySchema>;

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
  category: marketCodeSchema,
  unit: marketCodeSchema,
  price: moneySchema,
  sla: slaSchema,
});
export type OfferTerms = z.output<typeof offerTermsSchema>;

export const offerStatuses = ["active", "withdrawn", "suspended"] as const;
export type OfferStatus = (typeof offerStatuses)[number];

/**
 * `marketplace.partner.updated`, action `offer.upsert`: a partner creates or changes one of
 * its offers. `offerId` is chosen by the cabinet, so a repeated upsert is the same offer.
 */
export const partnerOfferUpsertSchema = z.object({
  action: z.literal("offer.upsert"),
  partnerId: partnerIdSchema,
  offerId: z.uuid(),
  /** The version the partner edited; a stale one is refused. Absent: create, or overwrite. */
  version: z.number().int().min(1).optional(),
  // Fields beyond the terms (a cabinet may send the offer as it last saw it) are dropped.
  offer: z.object(offerTermsSchema.shape),
});
export type PartnerOfferUpsert = z.output<typeof partnerOfferUpsertSchema>;

/** `marketplace.partner.updated`, action `offer.withdraw`: a partner stops offering one. */
export const partnerOfferWithdrawSchema = z.object({
  action: z.literal("offer.withdraw"),
  partnerId: partnerIdSchema,
  offerId: z.uuid(),
});
export type PartnerOfferWithdraw = z.output<typeof partnerOfferWithdrawSchema>;
