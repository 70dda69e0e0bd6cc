import { Schema, type Connection } from "mongoose";
import type { Offer, OfferStatus } from "../domain/offer.js";
import { fromStoredDoc, versionedCollection, type StoredDoc } from "./versioned-collection.js";

const offerSchema = new Schema<StoredDoc<Offer>>(
  {
    _id: String,
    partnerId: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: "" },
    category: { type: String, required: true },
    unit: { type: String, required: true },
    price: { amount: Number, currency: String },
    sla: { responseHours: Number, completionHours: Number },
    status: { type: String, required: true },
    suspendedBy: String,
    rulesVersion: Number,
    version: { type: Number, required: true },
    createdAt: Date,
    updatedAt: Date,
  },
  { versionKey: false, collection: "offers" },
);
offerSchema.index({ partnerId: 1, status: 1 });
offerSchema.index({ status: 1, category: 1 });

export interface OfferQuery {
  partnerId?: string;
  status?: OfferStatus;
  category?: string;
  limit: number;
}

export type OfferStore = ReturnType<typeof createOfferStore>;

export function createOfferStore(connection: Connection) {
  const offers = connection.model<StoredDoc<Offer>>("Offer", offerSchema);
  return {
    ...versionedCollection<Offer>(offers),
    async list(query: OfferQuery): Promise<Offer[]> {
      const filter: Record<string, unknown> = {};
      if (query.partnerId !== undefined) filter.partnerId = query.partnerId;
      if (query.status !== undefined) filter.status = query.status;
      if (query.category !== undefined) filter.category = query.category;
      const docs = await offers
        .find(filter)
        .sort({ _id: 1 })
        .limit(query.limit)
        .lean<StoredDoc<Offer>[]>();
      return docs.map((doc) => fromStoredDoc<Offer>(doc));
    },
  };
}
