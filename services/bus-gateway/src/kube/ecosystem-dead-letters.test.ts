import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../domain/ledger-entry.js";
import {
  deadLetterCounts,
  maxDeadLetterGroups,
  partnerRemovedCount,
} from "./ecosystem-dead-letters.js";

const entry = (
  kind: LedgerEntry["kind"],
  target: string,
  topic: string,
  state: LedgerEntry["state"] = "dead-lettered",
): LedgerEntry =>
  ({ kind, target, topic, state, key: `${kind}:${target}:${Math.random()}` }) as LedgerEntry;

describe("deadLetterCounts", () => {
  it("when entries are dead-lettered, then they are counted by kind, target and topic in a stable order", () => {
    const counts = deadLetterCounts([
      entry("partner", "sms", "notification.sms"),
      entry("drop", "acme-internal-bus", "customer.merged"),
      entry("partner", "sms", "notification.sms"),
      entry("partner", "sms", "notification.sms", "delivered"),
      entry("export", "customers-out", "customer.created"),
    ]);
    expect(counts).toEqual([
      { kind: "drop", target: "acme-internal-bus", topic: "customer.merged", count: 1 },
      { kind: "export", target: "customers-out", topic: "customer.created", count: 1 },
      { kind: "partner", target: "sms", topic: "notification.sms", count: 2 },
    ]);
    expect(deadLetterCounts([])).toEqual([]);
  });

  it("when there are more groups than the status holds, then the largest are kept", () => {
    const entries = Array.from({ length: maxDeadLetterGroups + 1 }, (_, i) =>
      entry("drop", "bus", `topic-${String(i).padStart(4, "0")}`),
    );
    entries.push(entry("drop", "bus", "topic-1000"));
    const counts = deadLetterCounts(entries);
    expect(counts).toHaveLength(maxDeadLetterGroups);
    expect(counts).toContainEqual({ kind: "drop", target: "bus", topic: "topic-1000", count: 2 });
  });

  it("when partner dead letters say PartnerRemoved, then only those count as the partner-removed ones", () => {
    const removed = (lastError: string, state: LedgerEntry["state"] = "dead-lettered") =>
      ({ ...entry("partner", "old", "order.paid", state), lastError }) as LedgerEntry;
    expect(
      partnerRemovedCount([
        removed("PartnerRemoved: old is no longer an outbound partner"),
        removed("PartnerRemoved: old is no longer an outbound partner"),
        removed("PartnerRemoved: handed over", "delivered"),
        removed("HTTP 422 from the partner"),
        { ...entry("drop", "bus", "t"), lastError: "PartnerRemoved: not a partner" } as LedgerEntry,
      ]),
    ).toBe(2);
  });
});
