import type { OutgoingEvent } from "@symbiont/service-kit";
import { z } from "zod";
import { moneySchema } from "../domain/money.js";
import { offerStatuses, slaSchema, type Offer } from "../domain/offer.js";
import { idField, timeField } from "./event-fields.js";
import { offerChangedTopic } from "./marketplace-topics.js";

/** `marketplace.offer.changed`: an offer as it is at `version`. */
export const offerChangedSchema = z.object({
  change: z.enum(["created", "updated", "withdrawn", "suspended"]),
  offer: z.object({
    id: z.uuid(),
    partnerId: idField,
    title: z.string(),
    description: z.string(),
    category: idField,
    unit: idField,
    price: moneySchema,
    sla: slaSchema,
    status: z.enum(offerStatuses),
    suspendedBy: idField.optional(),
    version: z.number().int().min(1),
    updatedAt: timeField,
  }),
});
export type OfferChanged = z.output<typeof offerChangedSchema>;

export function offerChanged(
  offer: Offer,
  change: OfferChanged["change"],
): OutgoingEvent<OfferChanged> {
  const { rulesVersion: _rules, createdAt: _created, ...published } = offer;
  return {
    id: `${offerChangedTopic}:${offer.id}:${offer.version}`,
    topic: offerChangedTopic,
    data: { change, offer: published },
  };
}
