import { createHash } from "node:crypto";
import type { CheckpointEntry } from "../domain/ledger.js";

// A checkpoint's open entries in pieces whose ids name their content, so that the next
// checkpoint writes only the pieces that changed. Entries go in their order of acceptance
// (`seq`) into ranges that end after an entry whose key hashes to a multiple of 1,000 (about
// 1,000 entries to a range): where a range ends depends on its own entries only, so behind a
// partner that is away, each minute's checkpoint finds the same ranges with the same entries
// and keeps their pieces, while a delivery or a new entry changes its own range (two, when it
// ended one). A range whose payloads pass about 4 MB is cut in several pieces (a document
// stays far below 16 MB).

export interface CheckpointPiece {
  /** `piece:<first seq>:<fingerprint>:<part>`: the same entries in the same state, the same id. */
  id: string;
  entries: CheckpointEntry[];
}

/** One key in this many ends a range. */
export const entriesPerRange = 1_000;
const maxPieceBytes = 4_000_000;

export function checkpointPieces(open: readonly CheckpointEntry[]): CheckpointPiece[] {
  const sorted = [...open].sort((a, b) => a.seq - b.seq);
  const pieces: CheckpointPiece[] = [];
  let range: CheckpointEntry[] = [];
  for (const entry of sorted) {
    range.push(entry);
    if (endsRange(entry.key)) {
      pieces.push(...cut(range));
      range = [];
    }
  }
  pieces.push(...cut(range));
  return pieces;
}

function cut(range: CheckpointEntry[]): CheckpointPiece[] {
  if (range.length === 0) return [];
  const name = `piece:${range[0]!.seq}:${fingerprintOf(range)}`;
  const pieces: CheckpointPiece[] = [];
  let part: CheckpointEntry[] = [];
  let bytes = 0;
  const close = () => {
    if (part.length === 0) return;
    pieces.push({ id: `${name}:${pieces.length}`, entries: part });
    part = [];
    bytes = 0;
  };
  for (const entry of range) {
    const size = 512 + (entry.payload?.length ?? 0);
    if (part.length > 0 && bytes + size > maxPieceBytes) close();
    part.push(entry);
    bytes += size;
  }
  close();
  return pieces;
}

/** FNV-1a of the key: stable across processes and versions, unlike a runtime's own hash. */
function endsRange(key: string): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % entriesPerRange === 0;
}

/**
 * Each entry's key, revision, state, attempts, place in the order and payload length: an entry
 * changes only by a record, which moves its revision, so this stands for its whole text.
 */
function fingerprintOf(entries: readonly CheckpointEntry[]): string {
  const hash = createHash("sha256");
  for (const entry of entries)
    hash.update(
      `${entry.key}@${entry.revision}:${entry.state}:${entry.attempts}:${entry.seq}:${entry.payload?.length ?? -1}\n`,
    );
  return hash.digest("base64url").slice(0, 22);
}
