import type { z } from "zod";
import { AppError } from "../errors/app-error.js";

/**
 * Validates request input with a zod schema. A failure is a 400 that names the first
 * failing field as a dotted path under `where` (`body.price.amount`, `query.page`), or the
 * unknown field itself for strict objects.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  where: "body" | "query" | "params" | "event",
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue ? issue.path.map(String) : [];
  if (issue && issue.code === "unrecognized_keys") path.push(issue.keys[0] ?? "");
  const field = [where, ...path].join(".");
  const reason =
    issue?.code === "unrecognized_keys" ? "unknown field" : (issue?.message ?? "invalid value");
  throw new AppError({
    status: 400,
    code: "InvalidInput",
    field,
    message: `${field}: ${reason}`,
  });
}
