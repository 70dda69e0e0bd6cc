import type { CatalogCache } from "../data/catalog-cache.js";
import { z } from "zod";

/** The part of MDM's `mdm.item.changed` CRM reads (a tolerant reader: more fields are fine). */
export const itemChangedSchema = z.object({
  change: z.string().optional(),
  item: z.object({
    id: z.string().min(1).max(64),
    name: z.string().max(200),
    category: z.string().max(64),
    status: z.string().max(32),
    version: z.number().int().min(1),
  }),
});

export type ItemChanged = z.output<typeof itemChangedSchema>;

/** Keeps product interests current: the newest version of each item wins. */
export async function applyItemChange(catalog: CatalogCache, event: ItemChanged): Promise<boolean> {
  const { id, name, category, status, version } = event.item;
  return catalog.upsertIfNewer({ id, name, category, status, version });
}
