import { Schema, type Connection } from "mongoose";

/** What CRM keeps of MDM's catalog (from `mdm.item.changed`) to show current interests. */
export interface CachedItem {
  id: string;
  name: string;
  category: string;
  status: string;
  version: number;
}

type CachedItemDoc = Omit<CachedItem, "id"> & { _id: string };

const cachedItemSchema = new Schema<CachedItemDoc>(
  { _id: String, name: String, category: String, status: String, version: Number },
  { versionKey: false },
);

export type CatalogCache = ReturnType<typeof createCatalogCache>;

export function createCatalogCache(connection: Connection) {
  const items = connection.model<CachedItemDoc>("CachedItem", cachedItemSchema, "catalog_items");
  return {
    ready: () => items.init(),
    /** Keeps the newest version: an older or repeated version changes nothing. */
    async upsertIfNewer(item: CachedItem): Promise<boolean> {
      const { id, ...rest } = item;
      const updated = await items.updateOne(
        { _id: id, version: { $lt: item.version } },
        { $set: rest },
      );
      if (updated.modifiedCount === 1) return true;
      if (await items.exists({ _id: id })) return false;
      try {
        await items.create({ _id: id, ...rest });
        return true;
      } catch {
        return false;
      }
    },
    async items(ids: string[]): Promise<CachedItem[]> {
      if (ids.length === 0) return [];
      // One lookup per id: FerretDB v1 scans the collection for `$in`.
      const found = await Promise.all(ids.map((id) => items.findById(id).lean<CachedItemDoc>()));
      return found.filter((doc) => doc !== null).map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
    async find(id: string): Promise<CachedItem | undefined> {
      const doc = await items.findById(id).lean<CachedItemDoc>();
      return doc
        ? {
            id: doc._id,
            ...{ name: doc.name, category: doc.category, status: doc.status, version: doc.version },
          }
        : undefined;
    },
  };
}
