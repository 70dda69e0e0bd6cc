import type { Author } from "../auth/principal.js";
import type { Link } from "./sandbox.js";

/**
 * A version's life: `pending` (its record is written, its content may be on the way),
 * `committed` (content stored and the record says so: it exists from now on), `announced`
 * (its file points at it or past it, and its event is in the outbox). A crash leaves a
 * version in one of these states; recovery rolls pending ones back (record and object) and
 * committed ones forward (file pointer, search index, event).
 */
export type VersionState = "pending" | "committed" | "announced";

/** Where a version came from when a bus event brought it (e.g. a generated contract). */
export interface Origin {
  topic: string;
  eventId: string;
}

export interface FileVersion {
  fileId: string;
  sandbox: string;
  path: string;
  version: number;
  state: VersionState;
  objectKey: string;
  contentType: string;
  size: number;
  sha256: string;
  author: Author;
  createdAt: string;
  restoredFrom?: number;
  links: Link[];
  origin?: Origin;
  /** Extracted text and metadata, for the search index (not returned by listings). */
  text: string;
  meta: Record<string, string>;
}

/** A file: a path in a sandbox and the version it is at (0: no version stored yet). */
export interface FileEntry {
  id: string;
  sandbox: string;
  path: string;
  name: string;
  currentVersion: number;
  contentType?: string;
  size?: number;
  sha256?: string;
  author?: Author;
  links: Link[];
  createdAt: string;
  updatedAt: string;
}

/** The facts of one version, as the API and the events give them (no key, no text). */
export function versionFacts(version: FileVersion) {
  return {
    version: version.version,
    contentType: version.contentType,
    size: version.size,
    sha256: version.sha256,
    author: version.author,
    createdAt: version.createdAt,
    ...(version.restoredFrom === undefined ? {} : { restoredFrom: version.restoredFrom }),
    ...(version.origin ? { origin: version.origin } : {}),
  };
}

/** A version in a file's history: its facts and the metadata read from it. */
export function versionView(version: FileVersion) {
  return { ...versionFacts(version), meta: version.meta };
}
