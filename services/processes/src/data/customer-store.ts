import { Schema, type Connection, type Model } from "mongoose";

// What the module knows of CRM's customers (from customer.* events): how to reach a person and
// whether they agreed to it. A merged-away id points at its survivor. Newest version wins, so
// events applied out of order leave the newest profile.

export interface CustomerContact {
  id: string;
  version: number;
  name?: string;
  /** E.164 phone (`+<digits>`) from CRM's `phone:` key. */
  phone?: string;
  smsConsent: boolean;
  /** Consent to messages through the messenger (reached by the same phone). */
  messengerConsent?: boolean;
  /** The channel the person prefers (`sms`, `messenger`, `email`), as CRM last said. */
  preferredChannel?: string;
  mergedInto?: string;
}

interface CustomerDoc extends CustomerContact {
  _id: string;
}

const schema = new Schema<CustomerDoc>(
  {
    _id: String,
    id: String,
    version: Number,
    name: String,
    phone: { type: String, index: true },
    smsConsent: Boolean,
    messengerConsent: Boolean,
    preferredChannel: String,
    mergedInto: String,
  },
  { versionKey: false, collection: "customers" },
);

export type CustomerStore = ReturnType<typeof createCustomerStore>;

export function createCustomerStore(connection: Connection) {
  const model: Model<CustomerDoc> =
    (connection.models.Customer as Model<CustomerDoc> | undefined) ??
    connection.model<CustomerDoc>("Customer", schema);
  const plain = ({ _id, ...rest }: CustomerDoc): CustomerContact => rest;
  return {
    ready: () => model.init().then(() => undefined),
    /** Keeps `contact` unless a newer version is stored. */
    async upsert(contact: CustomerContact): Promise<void> {
      const existing = await model.findById(contact.id).lean<CustomerDoc>();
      if (existing && existing.version > contact.version) return;
      await model.replaceOne(
        { _id: contact.id },
        { _id: contact.id, ...contact },
        { upsert: true },
      );
    },
    /** `id` was merged into `survivorId` (its older data stays, unused). */
    async markMerged(id: string, survivorId: string): Promise<void> {
      if (id === survivorId) return;
      await model.updateOne(
        { _id: id },
        { $set: { mergedInto: survivorId }, $setOnInsert: { id, version: 0, smsConsent: false } },
        { upsert: true },
      );
    },
    /** An active customer with this phone (E.164); of several, the most revised profile. */
    async findByPhone(phone: string): Promise<CustomerContact | undefined> {
      const doc = await model
        .findOne({ phone, mergedInto: { $exists: false } })
        .sort({ version: -1 })
        .lean<CustomerDoc>();
      return doc ? plain(doc) : undefined;
    },
    /** The customer, following merges to the survivor (at most a few hops). */
    async find(id: string): Promise<CustomerContact | undefined> {
      let current = id;
      for (let hop = 0; hop < 5; hop++) {
        const doc = await model.findById(current).lean<CustomerDoc>();
        if (!doc) return undefined;
        if (!doc.mergedInto) return plain(doc);
        current = doc.mergedInto;
      }
      return undefined;
    },
  };
}
