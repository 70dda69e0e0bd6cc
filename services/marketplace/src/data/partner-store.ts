import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection } from "mongoose";
import type { Partner } from "../domain/partner.js";

interface PartnerDoc extends Omit<Partner, "id" | "createdAt" | "updatedAt"> {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
}

const partnerSchema = new Schema<PartnerDoc>(
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

function toPartner(doc: PartnerDoc): Partner {
  const { _id, createdAt, updatedAt, ...rest } = doc;
  return {
    ...rest,
    id: _id,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

function toDoc(partner: Partner): PartnerDoc {
  const { id, createdAt, updatedAt, ...rest } = partner;
  return { ...rest, _id: id, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

export type PartnerStore = ReturnType<typeof createPartnerStore>;

export function createPartnerStore(connection: Connection) {
  const partners = connection.model<PartnerDoc>("Partner", partnerSchema);
  return {
    ready: () => partners.init(),
    /** False when a partner with this id exists already. */
    async insert(partner: Partner): Promise<boolean> {
      try {
        await partners.create(toDoc(partner));
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async find(id: string): Promise<Partner | undefined> {
      const doc = await partners.findById(id).lean<PartnerDoc>();
      return doc ? toPartner(doc) : undefined;
    },
    async list(): Promise<Partner[]> {
      const docs = await partners.find().sort({ _id: 1 }).limit(10_000).lean<PartnerDoc[]>();
      return docs.map(toPartner);
    },
    /** Replaces the partner only if it is still at `expectedVersion`. */
    async replaceIfVersion(partner: Partner, expectedVersion: number): Promise<boolean> {
      const result = await partners.replaceOne(
        { _id: partner.id, version: expectedVersion },
        toDoc(partner),
      );
      return result.modifiedCount === 1;
    },
  };
}
