import { principalKeys, type Principal } from "../auth/principal.js";
import type { SearchHit } from "../search/search-index.js";
import type { FilesDeps } from "./files-deps.js";
import { readableSandbox } from "./sandboxes.js";

/** Files whose name, path, text or metadata match, only in sandboxes the caller may read. */
export async function searchFiles(
  deps: FilesDeps,
  query: { q: string; sandbox?: string; limit: number },
  principal: Principal,
): Promise<SearchHit[]> {
  const sandboxes = query.sandbox
    ? [await readableSandbox(deps, query.sandbox, principal)]
    : await deps.sandboxes.readableBy(principalKeys(principal));
  if (sandboxes.length === 0) return [];
  return deps.index.search(query.q, {
    sandboxes: new Set(sandboxes.map((s) => s.id)),
    limit: query.limit,
  });
}
