import { badRequest, parseInput } from "@symbiont/service-kit";
import { z } from "zod";
import type { ItemQuery } from "../data/catalog-store.js";
import { attributeNameSchema, codeSchema, itemStatusSchema } from "../domain/item.js";
import { prefixPattern, searchTerms } from "../domain/search-terms.js";

const attributePrefix = "attr.";

const searchQuerySchema = z.strictObject({
  q: z
    .string()
    .max(200)
    .regex(/^[\p{L}\p{N} .,'&/-]*$/u, "only letters, digits, spaces and . , ' & / -")
    .optional(),
  category: codeSchema.optional(),
  status: itemStatusSchema.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

const attributeValueSchema = z
  .string()
  .max(200)
  .regex(/^[\p{L}\p{N} .,_/-]*$/u, "only letters, digits, spaces and . , _ / -");

/**
 * `GET /items?q=&category=&status=&attr.<name>=<value>&page=&pageSize=`. Every value must
 * be one plain string; anything shaped like an operator is refused with the field named.
 */
export function parseSearchQuery(query: Record<string, unknown>): ItemQuery {
  const plain: Record<string, unknown> = {};
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith(attributePrefix)) {
      plain[key] = value;
      continue;
    }
    const name = attributeNameSchema.safeParse(key.slice(attributePrefix.length));
    if (!name.success) throw badRequest(`query.${key}`, "unknown attribute filter");
    if (typeof value !== "string") throw badRequest(`query.${key}`, "expected one value");
    const parsed = attributeValueSchema.safeParse(value);
    if (!parsed.success)
      throw badRequest(`query.${key}`, parsed.error.issues[0]?.message ?? "invalid");
    pairs.push(`${name.data}=${parsed.data.toLowerCase()}`);
  }
  const parsed = parseInput(searchQuerySchema, plain, "query");
  return {
    termPrefixes: searchTerms(parsed.q).map(prefixPattern),
    category: parsed.category,
    status: parsed.status,
    attributePairs: pairs,
    skip: (parsed.page - 1) * parsed.pageSize,
    limit: parsed.pageSize,
  };
}
