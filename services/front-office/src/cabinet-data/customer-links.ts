import { Schema, type Connection, type Model } from "mongoose";
import type { CustomerEvent } from "./customer-events.js";

// Which CRM profiles are the signed-in person's: the cabinet's copy of the profiles' ids,
// status and sign-in accounts, kept from `customer.*` (newest version wins). A merged-away
// id stays, pointing at its survivor, so orders made under it are still the person's.

interface LinkDoc {
  _id: string;
  accounts: string[];
  status: "active" | "merged";
  mergedInto?: string;
  version: number;
  receivedAt: Date;
}

const linkSchema = new Schema<LinkDoc>(
  {
    _id: { type: String, required: true },
    accounts: { type: [String], index: true },
    status: String,
    mergedInto: { type: String, index: true },
    version: Number,
    receivedAt: Date,
  },
  { versionKey: false, collection: "front_office_customer_links" },
);

export interface CustomerLinks {
  apply(event: CustomerEvent, at: Date): Promise<void>;
  /** The person's profile ids (active ones and those merged into them); empty when unknown. */
  profileIdsOf(accounts: string[]): Promise<string[]>;
}

export function createCustomerLinks(connection: Connection): CustomerLinks {
  const model: Model<LinkDoc> =
    connection.models.FrontOfficeCustomerLink ??
    connection.model<LinkDoc>("FrontOfficeCustomerLink", linkSchema);
  const ensure = async (id: string, at: Date) => {
    if (await model.exists({ _id: id })) return;
    try {
      await model.create({ _id: id, accounts: [], status: "active", version: 0, receivedAt: at });
    } catch {
      // another delivery created it first
    }
  };
  return {
    async apply({ profile, survivorId, absorbedIds }, at) {
      await ensure(profile.id, at);
      await model.updateOne(
        { _id: profile.id, version: { $lt: profile.version } },
        {
          $set: {
            accounts: profile.accounts,
            status: profile.status,
            ...(profile.mergedInto ? { mergedInto: profile.mergedInto } : {}),
            version: profile.version,
            receivedAt: at,
          },
          // A profile active again (a merge undone) no longer points at a survivor.
          ...(profile.mergedInto ? {} : { $unset: { mergedInto: "" } }),
        },
      );
      for (const absorbed of survivorId ? (absorbedIds ?? []) : []) {
        await ensure(absorbed, at);
        await model.updateOne(
          { _id: absorbed },
          { $set: { status: "merged", mergedInto: survivorId, receivedAt: at } },
        );
      }
    },
    async profileIdsOf(accounts) {
      const found = await model.find({ accounts: { $in: accounts } }).lean<LinkDoc[]>();
      // Follow merges to the active profiles, then collect every id merged into them.
      const ids = new Set<string>();
      let frontier = found.map((doc) =>
        doc.status === "merged" && doc.mergedInto ? doc.mergedInto : doc._id,
      );
      for (let depth = 0; depth < 10 && frontier.length > 0; depth++) {
        const docs = await model.find({ _id: { $in: frontier } }).lean<LinkDoc[]>();
        const next: string[] = [];
        for (const doc of docs) {
          if (doc.status === "merged" && doc.mergedInto) next.push(doc.mergedInto);
          else ids.add(doc._id);
        }
        frontier = next.filter((id) => !ids.has(id));
      }
      let merged = [...ids];
      for (let depth = 0; depth < 10 && merged.length > 0; depth++) {
        const docs = await model.find({ mergedInto: { $in: merged } }).lean<LinkDoc[]>();
        merged = docs.map((doc) => doc._id).filter((id) => !ids.has(id));
        for (const id of merged) ids.add(id);
      }
      return [...ids];
    },
  };
}
