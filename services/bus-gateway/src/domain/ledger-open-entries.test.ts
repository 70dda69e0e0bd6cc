import { describe, expect, it } from "vitest";
import { ArrayRecordStore } from "../testing/array-record-store.js";
import { auditLedger } from "./ledger-audit.js";
import { Ledger, type NewEntry } from "./ledger.js";
import type { LedgerEntry } from "./ledger-entry.js";

// Memory holds the open entries (pending and dead-lettered), not the whole ledger: a
// delivered entry stays in the database, where redeliveries and lookups find it.

const message = (id: string): NewEntry => ({
  messageId: id,
  kind: "partner",
  target: "sms",
  topic: "t",
  pubsub: "c",
  state: "accepted",
  payload: JSON.stringify({ id }),
});

async function accept(ledger: Ledger, id: string): Promise<LedgerEntry> {
  const [entry] = await ledger.accept([message(id)]);
  if (entry === "duplicate" || entry === undefined) throw new Error(`${id} not accepted`);
  return entry;
}

describe("the ledger's open entries", () => {
  it("when a gateway starts on a ledger of delivered entries, then it holds only the open ones, still recognises redeliveries and counts the delivered", async () => {
    const store = new ArrayRecordStore();
    const before = new Ledger(store);
    for (const id of ["a", "b", "c"])
      await before.change(await accept(before, id), { state: "delivered", attempts: 1 });
    await before.change(await accept(before, "dead"), {
      state: "dead-lettered",
      attempts: 3,
      lastError: "HTTP 422",
    });
    await accept(before, "waiting");

    const ledger = new Ledger(store);
    await ledger.load();
    expect([...ledger.entries()].map((entry) => [entry.messageId, entry.state])).toEqual([
      ["dead", "dead-lettered"],
      ["waiting", "accepted"],
    ]);
    // Counted after start, from the database.
    expect(ledger.delivered("partner", "sms")).toBeUndefined();
    await ledger.countDelivered();
    expect(ledger.delivered("partner", "sms")).toBe(3);

    // A broker's redelivery of a delivered message is a duplicate, and stays out of memory.
    expect(await ledger.accept([message("b")])).toEqual(["duplicate"]);
    expect(ledger.size).toBe(2);
    expect(await ledger.find("partner:sms:t:b")).toMatchObject({
      state: "delivered",
      attempts: 1,
    });

    // Delivering leaves memory and adds to the count; the audit agrees with the database.
    const waiting = ledger.get("partner:sms:t:waiting");
    if (!waiting) throw new Error("waiting not read back");
    await ledger.change(waiting, { state: "delivered", attempts: 1 });
    expect(ledger.size).toBe(1);
    expect(ledger.delivered("partner", "sms")).toBe(4);
    expect(await auditLedger(store, ledger)).toMatchObject({
      ok: true,
      entries: 5,
      byState: { delivered: 4, "dead-lettered": 1 },
      pending: 0,
    });
  });

  it("when an open entry of the database is missing from memory, then the audit says so", async () => {
    const store = new ArrayRecordStore();
    const writer = new Ledger(store);
    await accept(writer, "x");
    const other = new Ledger(store);
    expect(await auditLedger(store, other)).toMatchObject({
      ok: false,
      problems: ["partner:sms:t:x: accepted in the database but not in the gateway's view"],
    });
  });
});
