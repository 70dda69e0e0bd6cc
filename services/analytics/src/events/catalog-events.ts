import { z } from "zod";
import { entityId, reader } from "./fact-reader.js";

// `mdm.item.changed` (MDM, docs/module-contract.md): the item at a version; analytics keeps
// its name and category (next-offer rules and purchases speak in categories).

export const itemChangedTopic = "mdm.item.changed";

const itemChangedSchema = z.object({
  item: z.object({
    id: entityId,
    version: z.number().int().min(1),
    name: z.string().max(200),
    category: z.string().min(1).max(64),
  }),
});

export const readItemChanged = reader(itemChangedSchema, ({ item }) => [
  {
    kind: "item",
    itemId: item.id,
    version: item.version,
    name: item.name,
    category: item.category,
  },
]);
