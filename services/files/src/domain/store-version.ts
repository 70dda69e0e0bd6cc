import { setTimeout as sleep } from "node:timers/promises";
import { conflict } from "@symbiont/service-kit";
import type { Author } from "../auth/principal.js";
import { unavailable } from "../errors.js";
import { fileStored } from "../events/files-topics.js";
import { crashPoint, type FilesDeps } from "./files-deps.js";
import { fileNameOf } from "./file-path.js";
import type { FileVersion, Origin } from "./file-version.js";
import type { Link, Sandbox } from "./sandbox.js";

// The write protocol that keeps metadata and content together without transactions:
//   1. the version's record is written as `pending` (it names the object key to come);
//   2. the content goes to the object store under that key;
//   3. the record becomes `committed` (only if still pending: a recovery may have rolled
//      it back meanwhile);
//   4. the file points at the version, the index learns it, its event goes to the outbox,
//      and the record becomes `announced`.
// A crash before 3 leaves a pending record (and maybe an object): rolled back, both
// removed. A crash after 3 leaves a committed version: rolled forward. So no metadata
// without content and no content without metadata survive a restart.

export interface NewVersion {
  sandbox: Sandbox;
  path: string;
  contentType: string;
  author: Author;
  links: Link[];
  /** New bytes, or the object of an older version (a restore copies it). */
  content: { bytes: Buffer } | { copyOf: string };
  size: number;
  sha256: string;
  text: string;
  meta: Record<string, string>;
  restoredFrom?: number;
  origin?: Origin;
}

/** A pending record older than this belongs to an upload that died: it may be rolled back. */
const pendingLeaseMs = 60_000;
const maxAttempts = 5;

export async function storeVersion(deps: FilesDeps, input: NewVersion): Promise<FileVersion> {
  for (let attempt = 1; ; attempt++) {
    const now = deps.now();
    const file = await deps.files.claimPath(
      input.sandbox.id,
      input.path,
      fileNameOf(input.path),
      deps.newId(),
      now,
    );
    const number = file.currentVersion + 1;
    const version: FileVersion = {
      fileId: file.id,
      sandbox: input.sandbox.id,
      path: input.path,
      version: number,
      state: "pending",
      objectKey: `objects/${input.sandbox.id}/${file.id}/${number}-${deps.newId()}`,
      contentType: input.contentType,
      size: input.size,
      sha256: input.sha256,
      author: input.author,
      createdAt: now.toISOString(),
      links: mergeLinks(file.links, input.links),
      text: input.text,
      meta: input.meta,
      ...(input.restoredFrom === undefined ? {} : { restoredFrom: input.restoredFrom }),
      ...(input.origin ? { origin: input.origin } : {}),
    };
    if (!(await deps.files.insertVersion(version))) {
      // The number is taken: another upload of this path is in flight, or one died.
      const holder = await deps.files.findVersion(file.id, number);
      const outcome = holder ? await settleVersion(deps, holder, pendingLeaseMs) : "left";
      if (attempt >= maxAttempts)
        throw conflict(`another upload of ${input.path} is in progress; try again`);
      if (outcome === "left") await sleep(attempt * 100);
      continue;
    }
    crashPoint(deps, "version-pending", input.path);
    try {
      if ("bytes" in input.content)
        await deps.objects.put(version.objectKey, input.content.bytes, input.contentType);
      else await deps.objects.copy(input.content.copyOf, version.objectKey);
    } catch (error) {
      await rollBack(deps, version).catch(() => undefined);
      throw unavailable(`the object store did not take the content: ${(error as Error).message}`);
    }
    crashPoint(deps, "content-stored", input.path);
    if (!(await deps.files.setState(version, "pending", "committed"))) {
      await deps.objects.delete(version.objectKey).catch(() => undefined);
      throw unavailable("the upload was rolled back while it was stored; try again");
    }
    crashPoint(deps, "version-committed", input.path);
    const committed: FileVersion = { ...version, state: "committed" };
    await rollForward(deps, committed, input.sandbox);
    return { ...committed, state: "announced" };
  }
}

/**
 * Finishes a committed version: the file points at it (when it is the next one), the index
 * and the outbox learn it (the event id is stable, so a repeat is recognised downstream).
 */
export async function rollForward(
  deps: FilesDeps,
  version: FileVersion,
  sandbox?: Sandbox,
): Promise<void> {
  await deps.files.advance(version, version.version - 1);
  const file = await deps.files.findById(version.fileId);
  if (file?.currentVersion === version.version) deps.index.put(version);
  const owner = sandbox ?? (await deps.sandboxes.find(version.sandbox));
  if (owner) await deps.outbox.send([fileStored(version, owner)]);
  await deps.files.setState(version, "committed", "announced");
}

/** Removes a pending version: its record first (only while pending), then its object. */
export async function rollBack(deps: FilesDeps, version: FileVersion): Promise<boolean> {
  if (!(await deps.files.dropPending(version))) return false;
  await deps.objects.delete(version.objectKey);
  return true;
}

/**
 * Brings a version that blocks a write to an end state: a committed one is rolled forward;
 * a pending one older than `leaseMs` (its upload died) is rolled back; a younger one is left
 * to its upload.
 */
export async function settleVersion(
  deps: FilesDeps,
  version: FileVersion,
  leaseMs: number,
): Promise<"rolled-forward" | "rolled-back" | "left"> {
  if (version.state === "committed") {
    await rollForward(deps, version);
    return "rolled-forward";
  }
  if (version.state === "pending") {
    const age = deps.now().getTime() - new Date(version.createdAt).getTime();
    if (age >= leaseMs && (await rollBack(deps, version))) return "rolled-back";
  }
  return "left";
}

function mergeLinks(current: Link[], added: Link[]): Link[] {
  const seen = new Map(current.map((l) => [`${l.kind}:${l.id}`, l]));
  for (const link of added) seen.set(`${link.kind}:${link.id}`, link);
  return [...seen.values()];
}
