import type { FilesDeps } from "./files-deps.js";
import { rollBack, rollForward } from "./store-version.js";

export interface Recovery {
  rolledBack: number;
  rolledForward: number;
  placeholders: number;
  orphanObjects: number;
}

/** Objects younger than this are left alone: an upload may be writing its record right now. */
const orphanGraceMs = 60_000;

/**
 * At start, before the index is built: every write a crash interrupted is finished or undone
 * (domain/store-version.ts), paths that never got a version are released, and objects no
 * version record names (a rollback whose delete failed) are removed. The module runs as one
 * replica, so nothing else is writing.
 */
export async function recoverStore(deps: FilesDeps): Promise<Recovery> {
  const recovery: Recovery = { rolledBack: 0, rolledForward: 0, placeholders: 0, orphanObjects: 0 };
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
  const cutoff = started.getTime() - orphanGraceMs;
  for await (const page of deps.objects.list("objects/")) {
    const old = page.filter((o) => o.lastModified.getTime() < cutoff).map((o) => o.key);
    if (old.length === 0) continue;
    const known = await deps.files.knownObjectKeys(old);
    for (const key of old.filter((k) => !known.has(k))) {
      await deps.objects.delete(key);
      recovery.orphanObjects++;
    }
  }
  return recovery;
}

/** Fills the search index from the database (at start, after recovery). */
export async function buildIndex(deps: FilesDeps): Promise<number> {
  let count = 0;
  for await (const page of deps.files.currentVersions()) {
    for (const version of page) deps.index.put(version);
    count += page.length;
  }
  return count;
}
