import { authorOf, type Principal } from "../auth/principal.js";
import type { FilesDeps } from "./files-deps.js";
import { fileStored, type FileStoredEvent } from "../events/files-topics.js";
import { findFile, findVersion } from "./read-files.js";
import { readableSandbox } from "./sandboxes.js";
import { storeVersion } from "./store-version.js";

/**
 * Restoring never rewrites history: the old version's content becomes a new version
 * (`restoredFrom` names the old one), with its own author and time.
 */
export async function restoreVersion(
  deps: FilesDeps,
  sandboxId: string,
  path: string,
  version: number,
  principal: Principal,
): Promise<FileStoredEvent> {
  const sandbox = await readableSandbox(deps, sandboxId, principal, "write");
  const file = await findFile(deps, sandboxId, path, principal, "write");
  const source = await findVersion(deps, file, version);
  const stored = await storeVersion(deps, {
    sandbox,
    path: file.path,
    contentType: source.contentType,
    author: authorOf(principal),
    links: [],
    content: { copyOf: source.objectKey },
    size: source.size,
    sha256: source.sha256,
    text: source.text,
    meta: source.meta,
    restoredFrom: source.version,
  });
  return fileStored(stored, sandbox).data;
}
