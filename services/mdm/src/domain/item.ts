import { z } from "zod";

/** A code: a dictionary code, a category, a currency. Lower-case, no operators, no spaces. */
export const codeSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "expected a code of a-z, 0-9, '_' and '-'");

export const attributeNameSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "expected a name of letters, digits, '_' and '-'");

const attributeValueSchema = z.union([z.string().max(200), z.number().finite(), z.boolean()]);

export const itemStatusSchema = z.enum(["draft", "active", "archived"]);

/** The fields of a catalog item a client writes (everything but id, version, timestamps). */
export const itemFieldsSchema = z.strictObject({
  sku: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "expected letters, digits, '.', '_' and '-'"),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4_000).default(""),
  kind: z.enum(["good", "service"]).default("good"),
  category: codeSchema,
  status: itemStatusSchema.default("draft"),
  price: z
    .strictObject({
      amount: z.number().finite().nonnegative(),
      currency: z.string().regex(/^[A-Z]{3}$/, "expected an ISO 4217 code such as EUR"),
    })
    .optional(),
  attributes: z
    .record(attributeNameSchema, attributeValueSchema)
    .refine((value) => Object.keys(value).length <= 50, "at most 50 attributes")
    .default({}),
});

export const itemUpdateSchema = itemFieldsSchema.extend({
  /** The version the client read; a stale one is refused with 409. */
  version: z.number().int().min(1),
});

export type ItemFields = z.output<typeof itemFieldsSchema>;
export type ItemUpdate = z.output<typeof itemUpdateSchema>;

export interface Item extends ItemFields {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ItemVersion {
  itemId: string;
  version: number;
  changedAt: string;
  changedBy: string;
  item: Item;
}
