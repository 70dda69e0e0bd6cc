import { partnerIdSchema } from "@symbiont/contracts";
import { z } from "zod";
import { codeSchema } from "./rulebook.js";

// A partner selling in the marketplace: a property management company, a courier service.
// Its kind decides (through the rulebook) what it may offer.

export { partnerIdSchema };

export const rateLimitSchema = z.strictObject({
  perSecond: z.number().positive().max(10_000),
  burst: z.number().int().min(1).max(100_000),
});

export const onboardingSchema = z.strictObject({
  id: partnerIdSchema,
  name: z.string().trim().min(1).max(200),
  kind: codeSchema,
  /** Whom the marketplace's operator talks to; not published on any bus. */
  contactEmail: z.email().max(254).optional(),
  /** Overrides the service's default per-key rate limit. */
  rateLimit: rateLimitSchema.optional(),
});
export type Onboarding = z.output<typeof onboardingSchema>;

export const partnerStatuses = ["active", "suspended"] as const;
export type PartnerStatus = (typeof partnerStatuses)[number];

export interface Partner extends Onboarding {
  status: PartnerStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
}
