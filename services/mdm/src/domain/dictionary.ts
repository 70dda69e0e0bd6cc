import { z } from "zod";
import { codeSchema } from "./item.js";

const entrySchema = z.strictObject({
  code: codeSchema,
  label: z.string().trim().min(1).max(200),
});

export const dictionaryFieldsSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  entries: z
    .array(entrySchema)
    .max(5_000)
    .refine((entries) => new Set(entries.map((e) => e.code)).size === entries.length, {
      message: "entry codes must be unique",
    }),
});

export const dictionaryCreateSchema = dictionaryFieldsSchema.extend({ code: codeSchema });
export const dictionaryUpdateSchema = dictionaryFieldsSchema.extend({
  version: z.number().int().min(1),
});

export type DictionaryFields = z.output<typeof dictionaryFieldsSchema>;

export interface Dictionary extends DictionaryFields {
  code: string;
  version: number;
  updatedAt: string;
}

export interface DictionaryVersion {
  code: string;
  version: number;
  changedAt: string;
  changedBy: string;
  dictionary: Dictionary;
}
