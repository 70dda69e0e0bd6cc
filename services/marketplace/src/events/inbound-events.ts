import { partnerOrderTransitionSchema } from "@symbiont/contracts";
import { z } from "zod";
import { offerTermsSchema } from "../domain/offer.js";
import { partnerIdSchema } from "../domain/partner.js";

// What the marketplace takes from the front office over the corporate bus (imported by
// BusRoutes). The cabinets publish these shapes; the marketplace exports the schemas so
// that publisher and subscriber share one contract.

/** `marketplace.order.requested` (user cabinet): the contract shared with the cabinet. */
export { orderRequestedSchema, type OrderRequested } from "@symbiont/contracts";

/**
 * `marketplace.partner.updated` (partner cabinet): a partner changes its offers or moves
 * one of its orders. The cabinet has authenticated the partner; `offerId` is chosen by the
 * cabinet, so a repeated upsert is the same offer.
 */
export const partnerUpdatedSchema = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("offer.upsert"),
    partnerId: partnerIdSchema,
    offerId: z.uuid(),
    /** The version the partner edited; a stale one is refused. Absent: create, or overwrite. */
    version: z.number().int().min(1).optional(),
    // Fields beyond the terms (a cabinet may send the offer as it last saw it) are dropped.
    offer: z.object(offerTermsSchema.shape),
  }),
  z.object({
    action: z.literal("offer.withdraw"),
    partnerId: partnerIdSchema,
    offerId: z.uuid(),
  }),
  // The partner cabinet builds this one with the same contract (@symbiont/contracts).
  partnerOrderTransitionSchema,
]);
export type PartnerUpdated = z.output<typeof partnerUpdatedSchema>;
