import { describe, expect, it } from "vitest";
import { testContext } from "../testing/test-context.js";
import { testPartner } from "../testing/test-file.js";
import { replayDeadLetters } from "./dead-letters.js";
import type { Ledger } from "./ledger.js";
import { deadLetterOrphans } from "./orphaned-entries.js";

// A partner that is gone (deleted, renamed, switched to inbound) strands its pending
// entries: at start they become visible, replayable dead letters.

describe("entries of a partner that is gone", () => {
  it("when the gateway starts without the partner, then its pending entries are PartnerRemoved dead letters, and a replay hands them to another partner", async () => {
    // Before: partner `old` had two messages pending and one delivered.
    const before = testContext({ partners: [testPartner("old", ["order.paid"])] });
    const accepted = await before.context.ledger.accept(
      ["p-1", "p-2", "p-3"].map((id) => ({
        messageId: id,
        kind: "partner" as const,
        target: "old",
        topic: "order.paid",
        pubsub: "acme-corporate-bus",
        state: "accepted" as const,
        payload: JSON.stringify({ id }),
      })),
    );
    const [first] = accepted;
    if (first === "duplicate" || first === undefined) throw new Error("p-1 not accepted");
    await before.context.ledger.change(first, { state: "delivered", attempts: 1 });

    // After: the file names only `billing`; the gateway reads the same ledger back.
    const after = testContext({ partners: [testPartner("billing", ["order.paid"])] });
    after.store.records.push(...before.store.records);
    const ledger = after.context.ledger as Ledger;
    await ledger.load();
    const orphans = await deadLetterOrphans(ledger, new Set(after.context.dispatchers.keys()));
    expect(orphans.map((entry) => entry.messageId)).toEqual(["p-2", "p-3"]);
    for (const id of ["p-2", "p-3"])
      expect(ledger.get(`partner:old:order.paid:${id}`)).toMatchObject({
        state: "dead-lettered",
        lastError: expect.stringMatching(/^PartnerRemoved: old is no longer an outbound partner/),
      });
    expect((await ledger.find("partner:old:order.paid:p-1"))?.state).toBe("delivered");

    // Replayed to itself it cannot go anywhere; handed to billing, it is queued there.
    expect(await replayDeadLetters(after.context, { partner: "old" })).toEqual([
      expect.objectContaining({ result: "failed", error: expect.stringMatching(/name another/) }),
      expect.objectContaining({ result: "failed" }),
    ]);
    const handed = await replayDeadLetters(after.context, { partner: "old", to: "billing" });
    expect(handed.map((r) => r.result)).toEqual(["requeued", "requeued"]);
    expect(
      ledger.pending("partner", "billing").map((entry) => [entry.messageId, entry.payload]),
    ).toEqual([
      ["p-2", '{"id":"p-2"}'],
      ["p-3", '{"id":"p-3"}'],
    ]);
    expect(await ledger.find("partner:old:order.paid:p-2")).toMatchObject({
      state: "delivered",
      lastError: "handed over to billing",
    });
  });
});
