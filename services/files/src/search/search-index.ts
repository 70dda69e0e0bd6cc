import MiniSearch from "minisearch";
import type { FileVersion } from "../domain/file-version.js";
import { normaliseTerm, tokenize } from "./search-terms.js";

// The full-text index of every file's current version: name, path, extracted text and
// metadata (EXIF, PDF info). It lives in memory; the database is the truth. The index is
// built from the database at start and changed after each committed version (the module
// runs as one replica, like CRM), so it never knows a version the database does not.

interface IndexedFile {
  id: string;
  sandbox: string;
  path: string;
  name: string;
  text: string;
  meta: string;
  version: number;
  contentType: string;
  updatedAt: string;
}

export interface SearchHit {
  fileId: string;
  sandbox: string;
  path: string;
  version: number;
  contentType: string;
  updatedAt: string;
  score: number;
}

export interface SearchIndex {
  /** Adds the file's version, replacing the version it had. */
  put(version: FileVersion): void;
  search(query: string, options: { sandboxes: Set<string>; limit: number }): SearchHit[];
  readonly size: number;
}

export function createSearchIndex(): SearchIndex {
  const index = new MiniSearch<IndexedFile>({
    fields: ["name", "path", "text", "meta"],
    storeFields: ["sandbox", "path", "version", "contentType", "updatedAt"],
    tokenize,
    processTerm: normaliseTerm,
    searchOptions: {
      boost: { name: 3, meta: 2, path: 1.5 },
      combineWith: "AND",
      // A query's short words match whole terms only; longer ones also match as prefixes.
      prefix: (term) => term.length >= 4,
    },
  });
  return {
    put(version) {
      const doc: IndexedFile = {
        id: version.fileId,
        sandbox: version.sandbox,
        path: version.path,
        name: version.path.slice(version.path.lastIndexOf("/") + 1),
        text: version.text,
        meta: Object.values(version.meta).join(" "),
        version: version.version,
        contentType: version.contentType,
        updatedAt: version.createdAt,
      };
      if (index.has(doc.id)) index.replace(doc);
      else index.add(doc);
    },
    search(query, { sandboxes, limit }) {
      const results = index.search(query, {
        filter: (result) => sandboxes.has(result.sandbox as string),
      });
      return results.slice(0, limit).map((r) => ({
        fileId: String(r.id),
        sandbox: r.sandbox as string,
        path: r.path as string,
        version: r.version as number,
        contentType: r.contentType as string,
        updatedAt: r.updatedAt as string,
        score: Math.round(r.score * 1000) / 1000,
      }));
    },
    get size() {
      return index.documentCount;
    },
  };
}
