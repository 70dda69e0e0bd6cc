import type { Outbox } from "@symbiont/service-kit";
import type { Logger } from "pino";
import type { FileStore } from "../data/file-store.js";
import type { ObjectStore } from "../data/object-store.js";
import type { SandboxStore } from "../data/sandbox-store.js";
import type { SearchIndex } from "../search/search-index.js";

/** Points of a write where the crash test stops the process (FILES_CRASH_AT). */
export const crashPoints = ["version-pending", "content-stored", "version-committed"] as const;
export type CrashPoint = (typeof crashPoints)[number];

/** Stop at `point` when writing `path` (every path when it is absent). */
export interface CrashRule {
  point: CrashPoint;
  path?: string;
}

export interface FilesLimits {
  maxFileBytes: number;
  maxEventDocumentBytes: number;
  maxTextChars: number;
  allowedTypes: readonly string[];
}

/** What the files domain needs: its stores, the index, the outbox, a clock and ids. */
export interface FilesDeps {
  files: FileStore;
  sandboxes: SandboxStore;
  objects: ObjectStore;
  index: SearchIndex;
  outbox: Outbox;
  logger: Logger;
  limits: FilesLimits;
  /** Grant keys given every right on process sandboxes files makes for generated documents. */
  processSandboxOwners: string[];
  now: () => Date;
  newId: () => string;
  /** Test hook only: the process kills itself at these points of writes. */
  crashAt?: CrashRule[];
}

export function crashPoint(deps: FilesDeps, point: CrashPoint, path: string): void {
  if (!deps.crashAt?.some((rule) => rule.point === point && (rule.path ?? path) === path)) return;
  deps.logger.warn({ point, path }, "FILES_CRASH_AT: killing the process");
  process.kill(process.pid, "SIGKILL");
}
