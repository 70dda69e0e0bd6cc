import { Schema, type Connection, type Model } from "mongoose";
import type { CatalogItem } from "./item-changed.js";

// The front office's own copy of the catalog, kept current from `mdm.item.changed`: pages
// read it, never MDM, so the site keeps showing the catalog while MDM is down.

type ItemDoc = Omit<CatalogItem, "id"> & { _id: string; receivedAt: Date };

const itemSchema = new Schema<ItemDoc>(
  {
    _id: { type: String, required: true },
    sku: String,
    name: String,
    description: String,
    kind: String,
    category: String,
    status: String,
    price: { type: Schema.Types.Mixed },
    version: Number,
    updatedAt: String,
    receivedAt: Date,
  },
  { versionKey: false, collection: "front_office_catalog", minimize: false },
);

export interface CatalogView {
  items: CatalogItem[];
  /** When the newest change arrived from MDM; undefined before the first one. */
  lastChangeAt: Date | undefined;
}

export interface CatalogStore {
  /** Keeps the newest version of an item: an older or repeated version changes nothing. */
  apply(item: CatalogItem, at: Date): Promise<boolean>;
  /** The items on sale (status active), by name. */
  active(): Promise<CatalogView>;
  find(id: string): Promise<CatalogItem | undefined>;
}

export function createCatalogStore(connection: Connection): CatalogStore {
  const model: Model<ItemDoc> =
    connection.models.FrontOfficeItem ?? connection.model<ItemDoc>("FrontOfficeItem", itemSchema);
  const toItem = ({ _id, receivedAt: _at, ...rest }: ItemDoc): CatalogItem => ({
    id: _id,
    ...rest,
  });
  return {
    async apply(item, at) {
      const { id, ...rest } = item;
      const fields = { ...rest, receivedAt: at };
      const updated = await model.updateOne(
        { _id: id, version: { $lt: item.version } },
        { $set: fields },
      );
      if (updated.modifiedCount === 1) return true;
      if (await model.exists({ _id: id })) return false;
      try {
        await model.create({ _id: id, ...fields });
        return true;
      } catch {
        return false; // another delivery of the same item created it first
      }
    },
    async active() {
      const docs = await model.find().lean<ItemDoc[]>();
      const lastChangeAt = docs.reduce<Date | undefined>(
        (latest, doc) => (!latest || doc.receivedAt > latest ? doc.receivedAt : latest),
        undefined,
      );
      return {
        items: docs
          .filter((doc) => doc.status === "active")
          .map(toItem)
          .sort((a, b) => a.name.localeCompare(b.name)),
        lastChangeAt,
      };
    },
    async find(id) {
      const doc = await model.findById(id).lean<ItemDoc>();
      return doc ? toItem(doc) : undefined;
    },
  };
}
