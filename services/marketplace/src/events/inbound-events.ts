import {
  partnerOfferUpsertSchema,
  partnerOfferWithdrawSchema,
  partnerOrderTransitionSchema,
} from "@symbiont/contracts";
import { z } from "zod";

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
  partnerOfferUpsertSchema,
  partnerOfferWithdrawSchema,
  // The partner cabinet builds all three with the same contract (@symbiont/contracts).
  partnerOrderTransitionSchema,
]);
export type PartnerUpdated = z.output<typeof partnerUpdatedSchema>;
