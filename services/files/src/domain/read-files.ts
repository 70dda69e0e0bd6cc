import type { Readable } from "node:stream";
import type { Principal } from "../auth/principal.js";
import { notFound } from "../errors.js";
import type { FilesDeps } from "./files-deps.js";
import { parseFilePath } from "./file-path.js";
import type { FileEntry, FileVersion } from "./file-version.js";
import { readableSandbox } from "./sandboxes.js";

/** A visible file (at least one version) at a path, after the caller's right is checked. */
export async function findFile(
  deps: FilesDeps,
  sandboxId: string,
  rawPath: string,
  principal: Principal,
  right: "read" | "write" = "read",
): Promise<FileEntry> {
  await readableSandbox(deps, sandboxId, principal, right);
  const path = parseFilePath(rawPath);
  const file = await deps.files.find(sandboxId, path);
  if (!file || file.currentVersion === 0) throw notFound(`file ${path} in sandbox ${sandboxId}`);
  return file;
}

/** One stored version of a file (the current one by default). */
export async function findVersion(
  deps: FilesDeps,
  file: FileEntry,
  version = file.currentVersion,
): Promise<FileVersion> {
  const found =
    version <= file.currentVersion ? await deps.files.findVersion(file.id, version) : undefined;
  if (!found || found.state === "pending")
    throw notFound(`version ${version} of ${file.path} in sandbox ${file.sandbox}`);
  return found;
}

export async function openContent(deps: FilesDeps, version: FileVersion): Promise<Readable> {
  const stream = await deps.objects.get(version.objectKey);
  // The write protocol never lets a stored version lose its object: this is a broken store.
  if (!stream) throw new Error(`object ${version.objectKey} of a stored version is missing`);
  return stream;
}

export async function listFiles(
  deps: FilesDeps,
  sandboxId: string,
  prefix: string,
  limit: number,
  principal: Principal,
): Promise<FileEntry[]> {
  await readableSandbox(deps, sandboxId, principal);
  return deps.files.list(sandboxId, prefix, limit);
}
