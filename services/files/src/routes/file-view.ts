import type { FileEntry } from "../domain/file-version.js";

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
