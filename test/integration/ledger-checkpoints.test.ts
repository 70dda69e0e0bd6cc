import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectDatabase } from "@symbiont/service-kit";
import type { Connection } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFerretDb, type FerretDb } from "../../dev/harness/ferretdb.js";
import { checkpointPieces } from "../../services/bus-gateway/src/data/checkpoint-pieces.js";
import {
  checkpointCollections,
  LedgerStore,
} from "../../services/bus-gateway/src/data/ledger-store.js";
import { ledgerRecordModel } from "../../services/bus-gateway/src/data/ledger-record-model.js";
import type { LedgerEntry } from "../../services/bus-gateway/src/domain/ledger-entry.js";
import { Ledger, toRecord } from "../../services/bus-gateway/src/domain/ledger.js";
import { ArrayRecordStore } from "../../services/bus-gateway/src/testing/array-record-store.js";
import { smsMessage } from "../../services/bus-gateway/src/testing/ledger-entries.js";

// The gateway's ledger checkpoints on FerretDB v1 over PostgreSQL (what a cluster runs): behind
// a partner that is away, each minute's checkpoint meets the same open entries again; it
// writes only the pieces that changed and deletes the ones no longer named, and a start reads
// back exactly what memory held. A checkpoint written by the earlier layout still reads back.

const dir = mkdtempSync(join(tmpdir(), "symbiont-checkpoints-"));
let ferret: FerretDb;
const connections: Connection[] = [];

beforeAll(async () => {
  ferret = await startFerretDb({ dir, backend: "postgresql" });
}, 120_000);

afterAll(async () => {
  for (const connection of connections) await connection.close();
  await ferret?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function database(name: string) {
  const connection = await connectDatabase(`${ferret.uri}${name}-${Date.now().toString(36)}`);
  connections.push(connection);
  return connection;
}

const payload = (n: number) => JSON.stringify({ n, text: "x".repeat(1_000) });
const view = (entries: Iterable<LedgerEntry>) =>
  [...entries]
    .map(({ key, state, attempts, seq, revision, payload }) => ({
      key,
      state,
      attempts,
      seq,
      revision,
      payload,
    }))
    .sort((a, b) => a.seq - b.seq);

describe("ledger checkpoints behind a backlog", () => {
  it("when nothing changed since the last checkpoint, then the next writes no piece; when one entry is delivered, one piece; a start reads back what memory held", async () => {
    const connection = await database("pieces");
    const pieces = connection.db!.collection(checkpointCollections.pieces);
    const store = new LedgerStore(ledgerRecordModel(connection));
    const ledger = new Ledger(store);
    await ledger.load();
    for (let start = 0; start < 3_000; start += 1_000)
      await ledger.accept(
        Array.from({ length: 1_000 }, (_, i) => smsMessage(`m-${start + i}`, payload(start + i))),
      );
    await ledger.checkpoint();
    const first = store.lastCheckpointWrite!;
    expect(first.pieces).toBeGreaterThan(1);
    expect(first.kept).toBe(0);
    expect(await pieces.countDocuments()).toBe(first.pieces);

    await ledger.checkpoint();
    expect(store.lastCheckpointWrite).toMatchObject({ pieces: 0, kept: first.pieces });
    expect(await pieces.countDocuments()).toBe(first.pieces);

    const delivered = [...ledger.entries()].find((entry) => entry.messageId === "m-1500")!;
    await ledger.change(delivered, { state: "delivered", attempts: 1 });
    await ledger.checkpoint();
    expect(store.lastCheckpointWrite!.pieces).toBeGreaterThanOrEqual(1);
    expect(store.lastCheckpointWrite!.pieces).toBeLessThanOrEqual(2);
    // The pieces it replaced wait to be deleted a number at a time (each delete reads the
    // whole collection), so the collection holds a few more than the head names.
    const named = async () =>
      (
        (await connection.db!.collection(checkpointCollections.head).findOne({}))!
          .pieceIds as string[]
      ).length;
    const replaced = store.lastCheckpointWrite!.pieces;
    expect(await pieces.countDocuments()).toBe((await named()) + replaced);

    const restarted = new Ledger(new LedgerStore(ledgerRecordModel(connection)));
    await restarted.load();
    expect(restarted.size).toBe(2_999);
    expect(view(restarted.entries())).toEqual(view(ledger.entries()));
    // The first checkpoint after a start deletes every piece its head does not name.
    await restarted.checkpoint();
    expect(await pieces.countDocuments()).toBe(await named());
  });

  it("when pieces are replaced checkpoint after checkpoint, then the replaced ones are deleted once there are eight of them", async () => {
    const connection = await database("stale");
    const pieces = connection.db!.collection(checkpointCollections.pieces);
    const store = new LedgerStore(ledgerRecordModel(connection));
    const ledger = new Ledger(store);
    await ledger.load();
    for (let start = 0; start < 12_000; start += 2_000)
      await ledger.accept(Array.from({ length: 2_000 }, (_, i) => smsMessage(`s-${start + i}`)));
    await ledger.checkpoint();
    const ranges = checkpointPieces([...ledger.entries()]);
    expect(ranges.length).toBeGreaterThanOrEqual(9);
    const counts: number[] = [];
    // One delivery in each of eight ranges (not one that ends its range), a checkpoint after each.
    for (const range of ranges.slice(0, 8)) {
      await ledger.change(range.entries[0] as LedgerEntry, { state: "delivered", attempts: 1 });
      await ledger.checkpoint();
      counts.push(await pieces.countDocuments());
    }
    expect(counts.slice(0, 7)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => ranges.length + n));
    expect(counts[7]).toBe(ranges.length);
  });

  it("when a checkpoint of the earlier layout (head and numbered pieces together) is there, then a start reads it, and the next checkpoint replaces it", async () => {
    const connection = await database("earlier");
    const pieces = connection.db!.collection<{ _id: string; [field: string]: unknown }>(
      checkpointCollections.pieces,
    );
    // A ledger's checkpoint as the gateway made it, laid out as the earlier version wrote it.
    const source = new ArrayRecordStore();
    const ledger = new Ledger(source);
    await ledger.load();
    await ledger.accept(Array.from({ length: 50 }, (_, i) => smsMessage(`e-${i}`, payload(i))));
    await ledger.checkpoint();
    const { open, ...rest } = source.checkpoint!;
    await pieces.insertMany([
      { _id: "1:0", generation: 1, open: JSON.stringify(open.slice(0, 30)) },
      { _id: "1:1", generation: 1, open: JSON.stringify(open.slice(30)) },
      { _id: "head", generation: 1, pieces: 2, checkpoint: JSON.stringify(rest) },
    ]);
    // The records the checkpoint reflects are in the database too, as they would be.
    await connection.db!.collection("ledger_records").insertMany(source.records as never[]);

    const store = new LedgerStore(ledgerRecordModel(connection));
    const started = new Ledger(store);
    await started.load();
    expect(view(started.entries())).toEqual(view(ledger.entries()));
    await started.checkpoint();
    const left = (await pieces.find({}).toArray()).map((piece) => piece._id);
    expect(left).not.toContain("head");
    expect(left).not.toContain("1:0");
    expect(left.every((id) => id.startsWith("piece:"))).toBe(true);
    const again = new Ledger(new LedgerStore(ledgerRecordModel(connection)));
    await again.load();
    expect(view(again.entries())).toEqual(view(ledger.entries()));
  });
});

describe("the ledger's batched writes", () => {
  it("when a batch meets records already written, then only those are duplicates; when the database refuses a record for another reason, then the whole batch fails with its message", async () => {
    const connection = await database("writes");
    const store = new LedgerStore(ledgerRecordModel(connection));
    const source = new Ledger(new ArrayRecordStore());
    await source.load();
    await source.accept(["w-1", "w-2", "w-3"].map((id) => smsMessage(id, payload(1))));
    const [first, second, third] = [...source.entries()].map((entry) => toRecord(entry, true));
    expect(await store.appendAll([first!, second!])).toEqual(["written", "written"]);
    // Another replica, or a retry after an answer that was lost, writes the same record again.
    expect(await store.appendAll([second!, third!])).toEqual(["duplicate", "written"]);
    expect(await connection.db!.collection("ledger_records").countDocuments()).toBe(3);
    const refused = { ...third!, _id: "w-4@1", $where: "not a field name" };
    await expect(store.appendAll([refused])).rejects.toThrow(/ledger write failed: .+/);
  });
});
