import { isDuplicateKey } from "@symbiont/service-kit";

/**
 * Positions in an unordered bulk insert that were refused because the `_id` exists already.
 * Any other failure is thrown again (the database is down, a document is invalid).
 */
export function duplicatePositions(error: unknown): Set<number> {
  const raw = (error as { writeErrors?: unknown }).writeErrors;
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Array<{
    index: number;
    code?: number;
  }>;
  if (list.length === 0) {
    if (isDuplicateKey(error)) return new Set([0]);
    throw error;
  }
  if (!list.every((e) => e.code === 11000)) throw error;
  return new Set(list.map((e) => e.index));
}
