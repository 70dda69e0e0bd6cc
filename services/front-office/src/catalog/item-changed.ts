import { z } from "zod";

export const itemChangedTopic = "mdm.item.changed";

/**
 * MDM's `mdm.item.changed` as it leaves the core through the `catalog-out` route
 * (docs/module-contract.md): what the front office shows of an item. A tolerant reader.
 */
export const itemChangedSchema = z.object({
  change: z.string().optional(),
  item: z.object({
    id: z.string().min(1).max(64),
    sku: z.string().max(64),
    name: z.string().max(200),
    description: z.string().max(4_000).default(""),
    kind: z.string().max(32).default("good"),
    category: z.string().max(64),
    status: z.enum(["draft", "active", "archived"]),
    price: z
      .object({ amount: z.number().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) })
      .optional(),
    version: z.number().int().min(1),
    updatedAt: z.string().optional(),
  }),
});

export type CatalogItem = z.output<typeof itemChangedSchema>["item"];
