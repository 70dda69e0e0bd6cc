import type { FileEntry, FileVersion } from "../domain/file-version.js";
import { fileNameOf } from "../domain/file-path.js";

/** A file as clients see it: its path and its current version's facts. */
export function fileView(file: FileEntry) {
  return {
    id: file.id,
    sandbox: file.sandbox,
    path: file.path,
    name: file.name,
    version: file.currentVersion,
    contentType: file.contentType,
    size: file.size,
    sha256: file.sha256,
    author: file.author,
    links: file.links,
    createdAt: file.createdAt,
    updatedAt: file.updatedAt,
  };
}

/** The answer to an upload or a restore: the version just stored. */
export function storedView(version: FileVersion) {
  return {
    id: version.fileId,
    sandbox: version.sandbox,
    path: version.path,
    name: fileNameOf(version.path),
    version: version.version,
    contentType: version.contentType,
    size: version.size,
    sha256: version.sha256,
    author: version.author,
    links: version.links,
    createdAt: version.createdAt,
    ...(version.restoredFrom === undefined ? {} : { restoredFrom: version.restoredFrom }),
  };
}
