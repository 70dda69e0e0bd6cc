import { AppError } from "@symbiont/service-kit";
import type { PartnerUpdated } from "../events/inbound-events.js";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import { upsertOffer, withdrawOffer } from "./offers.js";
import { transitionOrder } from "./orders.js";
import { unknownPartner } from "./refusal.js";

/**
 * A change from the partner cabinet (`marketplace.partner.updated`): the same domain calls
 * as the partner API, under the same rules; the cabinet has authenticated the partner.
 */
export async function applyPartnerUpdate(
  deps: MarketplaceDeps,
  update: PartnerUpdated,
): Promise<void> {
  const partner = await deps.partners.find(update.partnerId);
  if (!partner) throw unknownPartner(update.partnerId, "event.partnerId");
  if (partner.status !== "active")
    throw new AppError({
      status: 403,
      code: "PartnerSuspended",
      message: `partner ${partner.id} is suspended`,
    });
  switch (update.action) {
    case "offer.upsert":
      await upsertOffer(deps, partner, update.offerId, update.offer, update.version);
      return;
    case "offer.withdraw":
      await withdrawOffer(deps, partner, update.offerId);
      return;
    case "order.transition":
      await transitionOrder(
        deps,
        update.orderId,
        update.transition,
        { kind: "partner", id: partner.id },
        { partnerId: partner.id, ...(update.note ? { note: update.note } : {}) },
      );
      return;
  }
}
