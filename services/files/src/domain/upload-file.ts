import { authorOf, type Principal } from "../auth/principal.js";
import type { FilesDeps } from "./files-deps.js";
import { parseFilePath } from "./file-path.js";
import { fileStored, type FileStoredEvent } from "../events/files-topics.js";
import { prepareContent } from "./prepare-content.js";
import type { Link } from "./sandbox.js";
import { readableSandbox } from "./sandboxes.js";
import { storeVersion } from "./store-version.js";

export interface Upload {
  sandboxId: string;
  path: string;
  contentType: string | undefined;
  bytes: Buffer;
  links: Link[];
}

/**
 * Stores a file at a path: version 1 of a new path, the next version of an existing one.
 * Answers with the stored version as its event announces it.
 */
export async function uploadFile(
  deps: FilesDeps,
  upload: Upload,
  principal: Principal,
): Promise<FileStoredEvent> {
  const sandbox = await readableSandbox(deps, upload.sandboxId, principal, "write");
  const path = parseFilePath(upload.path);
  const content = await prepareContent(deps.limits, path, upload.contentType, upload.bytes);
  const stored = await storeVersion(deps, {
    sandbox,
    path,
    contentType: content.contentType,
    author: authorOf(principal),
    links: upload.links,
    content: { bytes: upload.bytes },
    size: content.size,
    sha256: content.sha256,
    text: content.text,
    meta: content.meta,
  });
  return fileStored(stored, sandbox).data;
}
