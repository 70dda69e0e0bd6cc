import { describe, expect, it } from "vitest";
import { ArrayRecordStore } from "../testing/array-record-store.js";
import { acceptOne } from "../testing/ledger-entries.js";
import { auditLedger } from "./ledger-audit.js";
import { Ledger } from "./ledger.js";
import type { LedgerEntry } from "./ledger-entry.js";

// The ledger is bounded: delivered entries older than the retention are kept only as
// per-day counts; pending entries and dead letters stay; the audit still adds up.

const day = 86_400_000;
const week = 7 * day;

describe("the ledger's retention", () => {
  it("when delivered entries are older than the retention, then they become per-day counts, and pending entries and dead letters stay", async () => {
    const store = new ArrayRecordStore();
    let now = Date.parse("2026-11-01T10:00:00Z");
    const ledger = new Ledger(store, () => now);
    const accept = async (id: string, state: LedgerEntry["state"]) => {
      const entry = await acceptOne(ledger, id, "{}");
      if (state !== "accepted") await ledger.change(entry, { state, attempts: 1 });
    };
    // Day 1: three delivered, one dead letter, one still pending.
    for (const id of ["a", "b", "c"]) await accept(id, "delivered");
    await accept("dead", "dead-lettered");
    await accept("waiting", "accepted");
    // Day 2: one delivered.
    now += day;
    await accept("d", "delivered");

    // Within the retention nothing changes.
    now += 3 * day;
    expect(await ledger.compact(week)).toEqual([]);
    // Memory holds the open entries; delivered ones are counted per day.
    expect([...ledger.entries()].map((entry) => entry.messageId).sort()).toEqual([
      "dead",
      "waiting",
    ]);
    expect(ledger.deliveredCount("partner", "sms")).toBe(4);

    // Eight days after day 1 (and seven after day 2): only day 1 is wholly past it.
    now = Date.parse("2026-11-09T10:00:00Z");
    expect(await ledger.compact(week)).toEqual([
      {
        _id: "2026-11-01:partner:sms:delivered",
        day: "2026-11-01",
        kind: "partner",
        target: "sms",
        state: "delivered",
        count: 3,
      },
    ]);
    expect(ledger.deliveredCount("partner", "sms")).toBe(1);
    expect(new Set(store.records.map((record) => record.messageId))).toEqual(
      new Set(["d", "dead", "waiting"]),
    );
    const audit = await auditLedger(store, ledger);
    expect(audit).toMatchObject({
      ok: true,
      entries: 3,
      pending: 1,
      compacted: { entries: 3, days: 1 },
    });

    // A gateway started later reads back only what was kept; compacting again is a no-op.
    now += day;
    const reloaded = new Ledger(store, () => now);
    await reloaded.load();
    expect(reloaded.size).toBe(2);
    // The dead letter kept its payload through the dropped segment: it can be sent again.
    expect(reloaded.get("partner:sms:t:dead")?.payload).toBe("{}");
    expect((await reloaded.compact(week)).map((count) => count.day)).toEqual(["2026-11-02"]);
    expect(await auditLedger(store, reloaded)).toMatchObject({
      ok: true,
      compacted: { entries: 4, days: 2 },
    });
  });
});
