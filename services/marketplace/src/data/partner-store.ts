import { Schema, type Connection } from "mongoose";
import type { Partner } from "../domain/partner.js";
import { fromStoredDoc, versionedCollection, type StoredDoc } from "./versioned-collection.js";

const partnerSchema = new Schema<StoredDoc<Partner>>(
  {
    _id: String,
    name: { type: String, required: true },
    kind: { type: String, required: true },
    contactEmail: String,
    rateLimit: { type: Schema.Types.Mixed },
    status: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: Date,
    updatedAt: Date,
  },
  { versionKey: false, collection: "partners", minimize: true },
);

export type PartnerStore = ReturnType<typeof createPartnerStore>;

export function createPartnerStore(connection: Connection) {
  const partners = connection.model<StoredDoc<Partner>>("Partner", partnerSchema);
  return {
    ...versionedCollection<Partner>(partners),
    async list(): Promise<Partner[]> {
      const docs = await partners
        .find()
        .sort({ _id: 1 })
        .limit(10_000)
        .lean<StoredDoc<Partner>[]>();
      return docs.map((doc) => fromStoredDoc<Partner>(doc));
    },
  };
}
