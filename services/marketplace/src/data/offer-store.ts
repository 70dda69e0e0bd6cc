import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection } from "mongoose";
import type { Offer, OfferStatus } from "../domain/offer.js";

interface OfferDoc extends Omit<Offer, "id" | "createdAt" | "updatedAt"> {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
}

const offerSchema = new Schema<OfferDoc>(
  {
    _id: String,
    partnerId: { type: String, required: true },
    title: { type: String, required: true },
    description: String,
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

function toOffer(doc: OfferDoc): Offer {
  const { _id, createdAt, updatedAt, suspendedBy, ...rest } = doc;
  return {
    ...rest,
    id: _id,
    description: rest.description ?? "",
    price: { amount: rest.price.amount, currency: rest.price.currency },
    sla: { responseHours: rest.sla.responseHours, completionHours: rest.sla.completionHours },
    ...(suspendedBy ? { suspendedBy } : {}),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

function toDoc(offer: Offer): OfferDoc {
  const { id, createdAt, updatedAt, ...rest } = offer;
  return { ...rest, _id: id, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

export interface OfferQuery {
  partnerId?: string;
  status?: OfferStatus;
  category?: string;
  limit: number;
}

export type OfferStore = ReturnType<typeof createOfferStore>;

export function createOfferStore(connection: Connection) {
  const offers = connection.model<OfferDoc>("Offer", offerSchema);
  return {
    ready: () => offers.init(),
    /** False when an offer with this id exists already. */
    async insert(offer: Offer): Promise<boolean> {
      try {
        await offers.create(toDoc(offer));
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async find(id: string): Promise<Offer | undefined> {
      const doc = await offers.findById(id).lean<OfferDoc>();
      return doc ? toOffer(doc) : undefined;
    },
    async replaceIfVersion(offer: Offer, expectedVersion: number): Promise<boolean> {
      const result = await offers.replaceOne(
        { _id: offer.id, version: expectedVersion },
        toDoc(offer),
      );
      return result.modifiedCount === 1;
    },
    async list(query: OfferQuery): Promise<Offer[]> {
      const filter: Record<string, unknown> = {};
      if (query.partnerId !== undefined) filter.partnerId = query.partnerId;
      if (query.status !== undefined) filter.status = query.status;
      if (query.category !== undefined) filter.category = query.category;
      const docs = await offers.find(filter).sort({ _id: 1 }).limit(query.limit).lean<OfferDoc[]>();
      return docs.map(toOffer);
    },
  };
}
