import { describe, expect, it } from "vitest";
import type { AppendResult } from "../data/ledger-store.js";
import type { LedgerRecord } from "../data/ledger-record-model.js";
import { ArrayRecordStore } from "../testing/array-record-store.js";
import { acceptOne, smsMessage as message } from "../testing/ledger-entries.js";
import { auditLedger } from "./ledger-audit.js";
import { Ledger } from "./ledger.js";

// A gateway starting up reads the last checkpoint, the records written after it and the
// payloads of the open entries: never the delivered history. Whatever was written after the
// checkpoint (a crash before the next one) is applied exactly once.

/** Appends wait while `held` is set: a write in flight while the ledger closes a segment. */
class HeldStore extends ArrayRecordStore {
  held: Promise<void> | undefined;
  #entered: Array<() => void> = [];
  override async appendAll(records: readonly LedgerRecord[]): Promise<AppendResult[]> {
    const held = this.held;
    for (const wake of this.#entered.splice(0)) wake();
    if (held) await held;
    return super.appendAll(records);
  }
  /** Resolves when the next append starts. */
  entered(): Promise<void> {
    return new Promise((resolve) => this.#entered.push(resolve));
  }
}

/** The next write lands, then reports an error (a connection reset after the commit). */
class LandsThenFails extends ArrayRecordStore {
  failNext = false;
  override async appendAll(records: readonly LedgerRecord[]): Promise<AppendResult[]> {
    const results = await super.appendAll(records);
    if (this.failNext) {
      this.failNext = false;
      throw new Error("connection reset after the write");
    }
    return results;
  }
}

describe("the ledger's start-up", () => {
  it("when the ledger holds thousands of delivered entries, then a start reads the checkpoint, the records since and the open entries' payloads only", async () => {
    const store = new ArrayRecordStore();
    const ledger = new Ledger(store, { checkpointEvery: 500 });
    await ledger.load();
    for (let batch = 0; batch < 30; batch += 1) {
      const ids = Array.from({ length: 100 }, (_, i) => `d-${batch * 100 + i}`);
      const accepted = await ledger.accept(ids.map((id) => message(id)));
      await Promise.all(
        accepted.map((entry) =>
          entry === "duplicate"
            ? undefined
            : ledger.change(entry, { state: "delivered", attempts: 1 }),
        ),
      );
    }
    const waiting = await acceptOne(ledger, "waiting");
    const dead = await acceptOne(ledger, "dead");
    await ledger.change(dead, { state: "dead-lettered", attempts: 5, lastError: "HTTP 422" });
    const retrying = await acceptOne(ledger, "retrying");
    await ledger.change(retrying, { state: "retrying", attempts: 1, lastError: "HTTP 503" });
    // It stops with no final checkpoint (SIGKILL): the last records lie after the last one.
    expect(store.records.length).toBeGreaterThan(6_000);

    store.reads = 0;
    store.queries = 0;
    const reloaded = new Ledger(store, { checkpointEvery: 500 });
    await reloaded.load();
    // At most two segments (500 records each, plus the batch that filled one) and the payloads,
    // asked for in one query (on FerretDB v1 each query scans the whole records table).
    expect(store.reads).toBeLessThanOrEqual(2 * 600 + 3);
    expect(store.queries).toBe(1);
    expect(reloaded.size).toBe(3);
    expect(reloaded.get(waiting.key)).toMatchObject({
      state: "accepted",
      payload: '{"id":"waiting"}',
    });
    expect(reloaded.get(dead.key)).toMatchObject({ state: "dead-lettered", lastError: "HTTP 422" });
    expect(reloaded.get(retrying.key)).toMatchObject({ state: "retrying", attempts: 1 });
    expect(reloaded.deliveredCount("partner", "sms")).toBe(3_000);
    expect(reloaded.lastError("partner", "sms")?.error).toBe("HTTP 503");
    // A broker's redelivery of an old message is still recognised, from the database.
    expect(await reloaded.accept([message("d-7")])).toEqual(["duplicate"]);
    expect(await reloaded.find("partner:sms:t:d-7")).toMatchObject({ state: "delivered" });
    expect(reloaded.size).toBe(3);
    expect(await auditLedger(store, reloaded)).toMatchObject({
      ok: true,
      entries: 3_003,
      pending: 2,
    });
  });

  it("when a write is in flight while a segment closes, then the next start applies every record once", async () => {
    const store = new HeldStore();
    const ledger = new Ledger(store);
    await ledger.load();
    const first = await acceptOne(ledger, "m1");
    const second = await acceptOne(ledger, "m2");
    let release = () => undefined as void;
    store.held = new Promise<void>((resolve) => (release = resolve));
    // m1's delivery is written in the old segment and lands only after the segment closed...
    const entered = store.entered();
    const slow = ledger.change(first, { state: "delivered", attempts: 1 });
    await entered;
    const checkpoint = ledger.checkpoint();
    // ...while m2's, in the new segment, lands before the checkpoint is taken.
    store.held = undefined;
    await ledger.change(second, { state: "delivered", attempts: 1 });
    release();
    await Promise.all([slow, checkpoint]);
    const third = await acceptOne(ledger, "m3");
    await ledger.change(third, { state: "delivered", attempts: 1 });
    expect(ledger.deliveredCount("partner", "sms")).toBe(3);

    const reloaded = new Ledger(store);
    await reloaded.load();
    expect(reloaded.deliveredCount("partner", "sms")).toBe(3);
    expect(reloaded.size).toBe(0);
    expect(await auditLedger(store, reloaded)).toMatchObject({ ok: true, entries: 3 });
  });

  it("when the ledger was written before checkpoints existed, then the first start reads it in full and later ones do not", async () => {
    const store = new ArrayRecordStore();
    const ledger = new Ledger(store);
    await ledger.load();
    const entry = await acceptOne(ledger, "old");
    await acceptOne(ledger, "pending");
    await ledger.change(entry, { state: "delivered", attempts: 1 });
    // As an older gateway wrote it: no segment, no checkpoint.
    store.checkpoint = undefined;
    for (const record of store.records) {
      const old = record as Partial<LedgerRecord>;
      delete old.segment;
      delete old.evenPair;
      delete old.oddPair;
    }

    const first = new Ledger(store);
    await first.load();
    expect(first.size).toBe(1);
    expect(first.deliveredCount("partner", "sms")).toBe(1);
    expect(store.checkpoint).toBeDefined();
    store.reads = 0;
    const second = new Ledger(store);
    await second.load();
    // The checkpoint holds the pending entry, payload included: no record is read.
    expect(store.reads).toBe(0);
    expect(second.get("partner:sms:t:pending")?.payload).toBe('{"id":"pending"}');
  });

  it("when the last checkpoint was written before records carried segment pairs, then a start reads its two segments one by one", async () => {
    const store = new ArrayRecordStore();
    const ledger = new Ledger(store, { checkpointEvery: 50 });
    await ledger.load();
    for (let i = 0; i < 120; i += 1) await acceptOne(ledger, `m-${i}`);
    // As an older gateway left it: a checkpoint without `paired`, records without pairs.
    expect(store.checkpoint?.paired).toBe(true);
    store.checkpoint = { ...store.checkpoint!, paired: undefined };
    for (const record of store.records) {
      const old = record as Partial<LedgerRecord>;
      delete old.evenPair;
      delete old.oddPair;
    }
    store.queries = 0;
    const reloaded = new Ledger(store, { checkpointEvery: 50 });
    await reloaded.load();
    expect(store.queries).toBe(2);
    expect(reloaded.size).toBe(120);
    expect(reloaded.get("partner:sms:t:m-119")).toMatchObject({ state: "accepted" });
  });

  it("when a first record lands but its write reports an error, then the entry is found after a checkpoint and a restart, not taken for a delivered one", async () => {
    const store = new LandsThenFails();
    const ledger = new Ledger(store);
    await ledger.load();
    store.failNext = true;
    await expect(ledger.accept([message("lost?")])).rejects.toThrow(/connection reset/);
    expect(ledger.size).toBe(0);
    await ledger.checkpoint();

    const reloaded = new Ledger(store);
    await reloaded.load();
    expect(reloaded.get("partner:sms:t:lost?")).toMatchObject({
      state: "accepted",
      payload: '{"id":"lost?"}',
    });
    // Without a restart, the redelivery finds it too.
    const again = new Ledger(store);
    await again.load();
    store.failNext = true;
    await expect(again.accept([message("second")])).rejects.toThrow(/connection reset/);
    expect(await again.accept([message("second")])).toEqual(["duplicate"]);
    expect(again.get("partner:sms:t:second")?.state).toBe("accepted");
  });

  it("when a change lands but its write reports an error and a later change follows, then the landed one stays in the history and the later one is written after it", async () => {
    const store = new LandsThenFails();
    const ledger = new Ledger(store);
    await ledger.load();
    const entry = await acceptOne(ledger, "m");
    store.failNext = true;
    await expect(
      ledger.change(entry, { state: "retrying", attempts: 1, lastError: "HTTP 503" }),
    ).rejects.toThrow(/connection reset/);
    // The next attempt succeeds: delivered, after the retrying record that did land.
    await ledger.change(entry, { state: "delivered", attempts: 2 });
    expect(ledger.size).toBe(0);
    expect(ledger.deliveredCount("partner", "sms")).toBe(1);
    expect(
      store.records
        .filter((record) => record.key === "partner:sms:t:m")
        .map((record) => [record.revision, record.state]),
    ).toEqual([
      [0, "accepted"],
      [1, "retrying"],
      [2, "delivered"],
    ]);
    // A start from the database agrees: nothing is left to send.
    const reloaded = new Ledger(store);
    await reloaded.load();
    expect(reloaded.size).toBe(0);
    expect(reloaded.deliveredCount("partner", "sms")).toBe(1);
    expect(await auditLedger(store, reloaded)).toMatchObject({ ok: true, pending: 0 });
  });
});
