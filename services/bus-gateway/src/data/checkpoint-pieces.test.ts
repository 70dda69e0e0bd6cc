import { describe, expect, it } from "vitest";
import { Ledger } from "../domain/ledger.js";
import type { LedgerEntry } from "../domain/ledger-entry.js";
import { ArrayRecordStore } from "../testing/array-record-store.js";
import { smsMessage } from "../testing/ledger-entries.js";
import { checkpointPieces } from "./checkpoint-pieces.js";

// A checkpoint's open entries in pieces named by their content: a backlog that stands still
// keeps its pieces from one checkpoint to the next; a change rewrites its own range only.

async function backlog(count: number, payload?: (n: number) => string) {
  const ledger = new Ledger(new ArrayRecordStore());
  await ledger.load();
  for (let start = 0; start < count; start += 500)
    await ledger.accept(
      Array.from({ length: Math.min(500, count - start) }, (_, i) =>
        smsMessage(`m-${start + i}`, payload?.(start + i)),
      ),
    );
  return ledger;
}

const ids = (ledger: Ledger) => checkpointPieces([...ledger.entries()]).map((p) => p.id);
const gone = (before: string[], after: string[]) => before.filter((id) => !after.includes(id));
const added = (before: string[], after: string[]) => after.filter((id) => !before.includes(id));

describe("a checkpoint's pieces", () => {
  it("when 5,000 open entries are cut, then ranges of about a thousand hold them all in the order taken in, and the same entries give the same ids in any order", async () => {
    const ledger = await backlog(5_000);
    const pieces = checkpointPieces([...ledger.entries()]);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.length).toBeLessThan(20);
    const seqs = pieces.flatMap((p) => p.entries.map((e) => e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(5_000);
    expect(new Set(pieces.map((p) => p.id)).size).toBe(pieces.length);
    expect(checkpointPieces([...ledger.entries()].reverse()).map((p) => p.id)).toEqual(
      pieces.map((p) => p.id),
    );
  });

  it("when an entry inside a middle range is delivered, then only that range's piece gets a new id", async () => {
    const ledger = await backlog(5_000);
    const pieces = checkpointPieces([...ledger.entries()]);
    const middle = pieces[Math.floor(pieces.length / 2)]!;
    // Its first entry: it does not end the range (unless the range is that entry alone).
    expect(middle.entries.length).toBeGreaterThan(1);
    await ledger.change(middle.entries[0] as LedgerEntry, { state: "delivered", attempts: 1 });
    const after = ids(ledger);
    expect(
      gone(
        pieces.map((p) => p.id),
        after,
      ),
    ).toEqual([middle.id]);
    expect(
      added(
        pieces.map((p) => p.id),
        after,
      ),
    ).toHaveLength(1);
  });

  it("when an entry's failed attempt is recorded (still pending), then its piece changes too", async () => {
    const ledger = await backlog(3_000);
    const pieces = checkpointPieces([...ledger.entries()]);
    const first = pieces[0]!;
    await ledger.change(first.entries[0] as LedgerEntry, {
      state: "accepted",
      attempts: 1,
      lastError: "HTTP 503",
    });
    expect(
      gone(
        pieces.map((p) => p.id),
        ids(ledger),
      ),
    ).toEqual([first.id]);
  });

  it("when new entries arrive, then the pieces of the older ranges are kept", async () => {
    const ledger = await backlog(3_000);
    const before = ids(ledger);
    await ledger.accept([smsMessage("late-1"), smsMessage("late-2")]);
    expect(gone(before, ids(ledger))).toEqual([before.at(-1)]);
  });

  it("when a range's payloads pass 4 MB, then it is cut in parts of at most about 4 MB, each with its own id", async () => {
    const ledger = await backlog(10, () => JSON.stringify({ text: "x".repeat(1_000_000) }));
    const pieces = checkpointPieces([...ledger.entries()]);
    expect(pieces.length).toBe(4);
    for (const piece of pieces)
      expect(piece.entries.reduce((sum, e) => sum + (e.payload?.length ?? 0), 0)).toBeLessThan(
        4_000_000,
      );
    expect(new Set(pieces.map((p) => p.id)).size).toBe(4);
    expect(pieces.flatMap((p) => p.entries).length).toBe(10);
  });
});
