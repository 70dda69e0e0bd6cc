import { Schema, type Connection } from "mongoose";
import type { Item, ItemFields, ItemVersion } from "../domain/item.js";
import { attributePairs, searchTerms } from "../domain/search-terms.js";

interface ItemDoc extends ItemFields {
  _id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** Indexed search helpers, derived from the fields on every write. */
  terms: string[];
  attributePairs: string[];
}

interface ItemVersionDoc {
  _id: string;
  itemId: string;
  version: number;
  changedAt: Date;
  changedBy: string;
  item: Item;
}

export interface ItemQuery {
  /** Every term must start one of the item's terms. */
  termPrefixes: RegExp[];
  category?: string;
  status?: string;
  attributePairs: string[];
  skip: number;
  limit: number;
}

const itemSchema = new Schema<ItemDoc>(
  {
    _id: String,
    sku: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    description: String,
    kind: String,
    category: { type: String, required: true },
    status: { type: String, required: true },
    price: { amount: Number, currency: String },
    attributes: { type: Schema.Types.Mixed, default: {} },
    version: { type: Number, required: true },
    createdAt: Date,
    updatedAt: Date,
    terms: { type: [String], index: true },
    attributePairs: { type: [String], index: true },
  },
  { versionKey: false, collection: "items", minimize: false },
);
itemSchema.index({ category: 1, status: 1, name: 1 });
itemSchema.index({ name: 1, _id: 1 });

const itemVersionSchema = new Schema<ItemVersionDoc>(
  {
    _id: String,
    itemId: { type: String, required: true },
    version: { type: Number, required: true },
    changedAt: Date,
    changedBy: String,
    item: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, collection: "item_versions" },
);
itemVersionSchema.index({ itemId: 1, version: 1 }, { unique: true });

function toItem(doc: ItemDoc): Item {
  return {
    id: doc._id,
    sku: doc.sku,
    name: doc.name,
    description: doc.description ?? "",
    kind: doc.kind,
    category: doc.category,
    status: doc.status,
    ...(doc.price?.currency
      ? { price: { amount: doc.price.amount, currency: doc.price.currency } }
      : {}),
    attributes: doc.attributes ?? {},
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

function toDoc(item: Item): ItemDoc {
  const { id, createdAt, updatedAt, ...fields } = item;
  return {
    ...fields,
    _id: id,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
    terms: searchTerms(item.name, item.description, item.sku),
    attributePairs: attributePairs(item.attributes),
  };
}

export type CatalogStore = ReturnType<typeof createCatalogStore>;

export function createCatalogStore(connection: Connection) {
  const items = connection.model<ItemDoc>("Item", itemSchema);
  const versions = connection.model<ItemVersionDoc>("ItemVersion", itemVersionSchema);
  return {
    ready: () => Promise.all([items.init(), versions.init()]),
    async insert(item: Item): Promise<void> {
      await items.create(toDoc(item));
    },
    async find(id: string): Promise<Item | undefined> {
      const doc = await items.findById(id).lean<ItemDoc>();
      return doc ? toItem(doc) : undefined;
    },
    /** Replaces the item only if it is still at `expectedVersion`; false when it moved on. */
    async replaceIfVersion(item: Item, expectedVersion: number): Promise<boolean> {
      const result = await items.replaceOne(
        { _id: item.id, version: expectedVersion },
        toDoc(item),
      );
      return result.modifiedCount === 1;
    },
    async insertVersion(entry: ItemVersion): Promise<void> {
      await versions.create({
        _id: `${entry.itemId}:${entry.version}`,
        ...entry,
        changedAt: new Date(entry.changedAt),
      });
    },
    async listVersions(itemId: string): Promise<ItemVersion[]> {
      const docs = await versions.find({ itemId }).sort({ version: -1 }).lean<ItemVersionDoc[]>();
      return docs.map((doc) => ({
        itemId: doc.itemId,
        version: doc.version,
        changedAt: doc.changedAt.toISOString(),
        changedBy: doc.changedBy,
        item: doc.item,
      }));
    },
    async search(query: ItemQuery): Promise<{ items: Item[]; total: number }> {
      const filter: Record<string, unknown> = {};
      const and: Array<Record<string, unknown>> = query.termPrefixes.map((prefix) => ({
        terms: prefix,
      }));
      if (query.attributePairs.length > 0)
        and.push({ attributePairs: { $all: query.attributePairs } });
      if (and.length > 0) filter.$and = and;
      if (query.category !== undefined) filter.category = query.category;
      if (query.status !== undefined) filter.status = query.status;
      const [docs, total] = await Promise.all([
        items
          .find(filter)
          .sort({ name: 1, _id: 1 })
          .skip(query.skip)
          .limit(query.limit)
          .lean<ItemDoc[]>(),
        items.countDocuments(filter),
      ]);
      return { items: docs.map(toItem), total };
    },
  };
}
