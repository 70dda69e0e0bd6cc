import { describe, expect, it } from "vitest";
import type { AppendResult } from "../data/ledger-store.js";
import type { LedgerRecord } from "../data/ledger-record-model.js";
import { ArrayRecordStore } from "../testing/array-record-store.js";
import { acceptOne, smsMessage } from "../testing/ledger-entries.js";
import { auditLedger } from "./ledger-audit.js";
import { Ledger, toRecord } from "./ledger.js";

// The audit reads the database while the gateway keeps writing: a record may be durable a
// moment before memory reflects it. That moment is not a disagreement; a real one still is.

/** While `holding`, a write lands at once but is acknowledged only on `release()`. */
class LandedUnacknowledged extends ArrayRecordStore {
  holding = false;
  #waiting: Array<() => void> = [];
  #landed: Array<() => void> = [];
  override async appendAll(records: readonly LedgerRecord[]): Promise<AppendResult[]> {
    const results = await super.appendAll(records);
    if (this.holding) {
      for (const wake of this.#landed.splice(0)) wake();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    return results;
  }
  /** Resolves once the next held write has landed. */
  landed(): Promise<void> {
    return new Promise((resolve) => this.#landed.push(resolve));
  }
  release(): void {
    this.holding = false;
    for (const wake of this.#waiting.splice(0)) wake();
  }
}

describe("the ledger audit while the gateway writes", () => {
  it("when a delivery is durable but not yet reflected in memory, then the audit waits for it and finds nothing wrong", async () => {
    const store = new LandedUnacknowledged();
    const ledger = new Ledger(store);
    await ledger.load();
    const entry = await acceptOne(ledger, "m1");
    await ledger.change(entry, { state: "retrying", attempts: 1 });
    store.holding = true;
    const landed = store.landed();
    const delivery = ledger.change(entry, { state: "delivered", attempts: 2 });
    await landed;
    expect(ledger.get(entry.key)?.state).toBe("retrying");
    const audit = auditLedger(store, ledger);
    await new Promise((resolve) => setTimeout(resolve, 20));
    store.release();
    await delivery;
    expect(await audit).toMatchObject({
      ok: true,
      problems: [],
      pending: 0,
      byState: { delivered: 1 },
    });
  });

  it("when a first record is durable but not yet in memory, then the audit waits for it and finds nothing wrong", async () => {
    const store = new LandedUnacknowledged();
    const ledger = new Ledger(store);
    await ledger.load();
    store.holding = true;
    const landed = store.landed();
    const accepted = ledger.accept([smsMessage("m2")]);
    await landed;
    const audit = auditLedger(store, ledger);
    await new Promise((resolve) => setTimeout(resolve, 20));
    store.release();
    await accepted;
    expect(await audit).toMatchObject({ ok: true, problems: [], pending: 1 });
  });

  it("when the database says an entry is delivered and memory still holds it open, then the audit reports it", async () => {
    const store = new ArrayRecordStore();
    const ledger = new Ledger(store);
    await ledger.load();
    const entry = await acceptOne(ledger, "m3");
    // A record written behind the gateway's back: memory never learns of it.
    store.records.push(toRecord({ ...entry, state: "delivered", attempts: 1 }, false));
    const audit = await auditLedger(store, ledger);
    expect(audit.ok).toBe(false);
    expect(audit.problems).toEqual([`${entry.key}: delivered in the database, accepted in memory`]);
  });

  it("when memory holds an entry the database does not, then the audit reports it", async () => {
    const store = new ArrayRecordStore();
    const ledger = new Ledger(store);
    await ledger.load();
    const entry = await acceptOne(ledger, "m4");
    store.records = store.records.filter((record) => record.key !== entry.key);
    const audit = await auditLedger(store, ledger);
    expect(audit.problems).toEqual([`${entry.key}: in memory but not in the database`]);
  });
});
