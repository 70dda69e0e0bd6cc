import type { FilesDeps } from "./files-deps.js";
import { rollBack, rollForward } from "./store-version.js";

export interface Recovery {
  rolledBack: number;
  rolledForward: number;
  placeholders: number;
}

/** Objects younger than this are left alone: an upload may be writing its record right now. */
const orphanGraceMs = 60_000;

/**
 * At start, before the index is built: every write a crash interrupted is finished or undone
 * (domain/store-version.ts) and paths that never got a version are released. The module
 * runs as one replica, so nothing else is writing.
 */
export async function recoverStore(deps: FilesDeps): Promise<Recovery> {
  const recovery: Recovery = { rolledBack: 0, rolledForward: 0, placeholders: 0 };
  for (const version of await deps.files.versionsIn("pending"))
    if (await rollBack(deps, version)) recovery.rolledBack++;
  for (const version of await deps.files.versionsIn("committed")) {
    await rollForward(deps, version);
    recovery.rolledForward++;
  }
  const started = deps.now();
  for (const file of await deps.files.placeholders(started)) {
    if (await deps.files.dropPlaceholder(file.id)) recovery.placeholders++;
  }
  return recovery;
}

/**
 * One pass over the version records: the current version of every visible file goes into
 * the search index, and every object key a record names is collected for the orphan sweep.
 */
export async function buildIndex(deps: FilesDeps): Promise<{ indexed: number; keys: Set<string> }> {
  const current = await deps.files.currentVersions();
  const keys = new Set<string>();
  let indexed = 0;
  for await (const version of deps.files.allVersions()) {
    keys.add(version.objectKey);
    if (version.state !== "pending" && current.get(version.fileId) === version.version) {
      deps.index.put(version);
      indexed++;
    }
  }
  return { indexed, keys };
}

/**
 * Deletes objects no version record names (a rollback whose delete failed), leaving young
 * ones alone: an upload may have written its object and be about to commit it.
 */
export async function sweepOrphans(
  deps: FilesDeps,
  known: Set<string>,
  startedAt: Date,
): Promise<number> {
  const cutoff = startedAt.getTime() - orphanGraceMs;
  let deleted = 0;
  for await (const page of deps.objects.list("objects/")) {
    for (const object of page) {
      if (known.has(object.key) || object.lastModified.getTime() >= cutoff) continue;
      await deps.objects.delete(object.key);
      deleted++;
    }
  }
  return deleted;
}
