import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { startLedgerDb } from "../../dev/stack/gateway-stack.js";
import { ledgerRecordModel } from "../../services/bus-gateway/src/data/ledger-record-model.js";
import { LedgerStore } from "../../services/bus-gateway/src/data/ledger-store.js";
import { auditLedger } from "../../services/bus-gateway/src/domain/ledger-audit.js";
import { Ledger, type NewEntry } from "../../services/bus-gateway/src/domain/ledger.js";
import type { LedgerEntry } from "../../services/bus-gateway/src/domain/ledger-entry.js";

// The gateway starts by reading its open entries only (pending and dead-lettered), found
// through the ledger's open marks in FerretDB, not by reading the whole ledger; delivered
// entries stay in the database, where redeliveries and lookups find them.

const message = (id: string): NewEntry => ({
  messageId: id,
  kind: "partner",
  target: "sms",
  topic: "t",
  pubsub: "c",
  state: "accepted",
  payload: JSON.stringify({ id }),
});

describe("the ledger's open entries in FerretDB", () => {
  const dir = mkdtempSync(join(tmpdir(), "ledger-open-"));
  let db: FerretDb;
  let connection: mongoose.Connection;

  beforeAll(async () => {
    db = await startLedgerDb(dir);
    connection = await mongoose.createConnection(`${db.uri}ledger`).asPromise();
  });

  afterAll(async () => {
    await connection?.close();
    await db?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  const fresh = async (name: string) => {
    const model = ledgerRecordModel(connection.useDb(name));
    const store = new LedgerStore(model);
    await store.ensureIndexes();
    return { store, model, marks: model.db.collection<{ _id: string }>("ledger_open") };
  };

  it("when some entries are delivered, then a restarted gateway holds only the open ones and still recognises the delivered", async () => {
    const { store, model, marks } = await fresh("restart");
    const before = new Ledger(store);
    await before.load();
    const accepted = (await before.accept(["a", "b", "c", "d"].map(message))) as LedgerEntry[];
    for (const entry of accepted.slice(0, 2))
      await before.change(entry, { state: "delivered", attempts: 1 });
    await before.change(accepted[2] as LedgerEntry, {
      state: "dead-lettered",
      attempts: 3,
      lastError: "HTTP 422",
    });
    await store.drained();
    expect((await marks.find({}).toArray()).map((mark) => mark._id).sort()).toEqual([
      "#open-marks-built",
      "partner:sms:t:c",
      "partner:sms:t:d",
    ]);

    const after = new Ledger(new LedgerStore(model));
    await after.load();
    expect([...after.entries()].map((e) => [e.messageId, e.state, e.payload])).toEqual([
      ["c", "dead-lettered", '{"id":"c"}'],
      ["d", "accepted", '{"id":"d"}'],
    ]);
    expect(await after.accept([message("a")])).toEqual(["duplicate"]);
    expect(after.size).toBe(2);
    expect((await after.find("partner:sms:t:a"))?.state).toBe("delivered");
    await after.countDelivered();
    expect(after.delivered("partner", "sms")).toBe(2);
    expect(await auditLedger(store, after)).toMatchObject({ ok: true, entries: 4, pending: 1 });
  });

  it("when the ledger was written before open marks existed, then the first start builds them from one pass", async () => {
    const { store, model, marks } = await fresh("older");
    const writer = new Ledger(store);
    await writer.load();
    const [first, second] = (await writer.accept(["x", "y"].map(message))) as LedgerEntry[];
    await writer.change(first as LedgerEntry, { state: "delivered", attempts: 1 });
    await store.drained();
    // As an older gateway left it: records, no marks.
    await marks.deleteMany({});
    const ledger = new Ledger(new LedgerStore(model));
    await ledger.load();
    expect([...ledger.entries()].map((e) => e.key)).toEqual([second?.key]);
    expect((await marks.find({}).toArray()).map((mark) => mark._id).sort()).toEqual([
      "#open-marks-built",
      "partner:sms:t:y",
    ]);
  });

  it("when a mark was written but not its entry (a crash between the two), then the start forgets it", async () => {
    const { store, model, marks } = await fresh("crashed");
    await new Ledger(store).load();
    await marks.insertOne({ _id: "partner:sms:t:never-written" });
    const ledger = new Ledger(new LedgerStore(model));
    await ledger.load();
    expect(ledger.size).toBe(0);
    expect((await marks.find({}).toArray()).map((mark) => mark._id)).toEqual(["#open-marks-built"]);
  });
});
