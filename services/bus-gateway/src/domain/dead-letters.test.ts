import { describe, expect, it } from "vitest";
import { testContext } from "../testing/test-context.js";
import { testPartner } from "../testing/test-file.js";
import { listDeadLetters, replayDeadLetters, type DeadLetterFilter } from "./dead-letters.js";

// Dead letters selected as a Redelivery's selector and `kubectl symbiont deadletters` select
// them: every field given must match.

async function ledgerWithDeadLetters() {
  const { context } = testContext({
    partners: [
      testPartner("sms", ["order.created", "order.paid"]),
      testPartner("mail", ["order.created"]),
    ],
  });
  const dead = (messageId: string, target: string, topic: string, lastError: string) => ({
    messageId,
    kind: "partner" as const,
    target,
    topic,
    pubsub: "acme-corporate-bus",
    state: "dead-lettered" as const,
    payload: "{}",
    lastError,
  });
  await context.ledger.accept([
    dead("m1", "sms", "order.created", "HTTP 503 Service Unavailable"),
    dead("m2", "sms", "order.paid", "HTTP 400 Bad Request"),
    dead("m3", "mail", "order.created", "connect ECONNREFUSED"),
  ]);
  const at = (id: string) =>
    [...context.ledger.entries()].find((entry) => entry.messageId === id)!.updatedAt;
  return { context, at };
}

describe("listDeadLetters", () => {
  it.each<{ what: string; filter: DeadLetterFilter; ids: string[] }>([
    { what: "a partner", filter: { partner: "sms" }, ids: ["m1", "m2"] },
    { what: "a topic", filter: { topic: "order.created" }, ids: ["m1", "m3"] },
    { what: "a reason, in any case", filter: { reason: "http 503" }, ids: ["m1"] },
    { what: "a partner and a topic", filter: { partner: "sms", topic: "order.paid" }, ids: ["m2"] },
    { what: "a kind none has", filter: { kind: "export" }, ids: [] },
    { what: "nothing", filter: {}, ids: ["m1", "m2", "m3"] },
  ])("when selecting by $what, then $ids", async ({ filter, ids }) => {
    const { context } = await ledgerWithDeadLetters();
    expect(listDeadLetters(context, filter).map((entry) => entry.messageId)).toEqual(ids);
  });

  it("when selecting by a time window, then since is inclusive and until exclusive", async () => {
    const { context, at } = await ledgerWithDeadLetters();
    const t = at("m1");
    expect(listDeadLetters(context, { sinceMs: t }).length).toBe(3);
    expect(listDeadLetters(context, { sinceMs: t + 60_000 })).toEqual([]);
    expect(listDeadLetters(context, { untilMs: t })).toEqual([]);
    expect(listDeadLetters(context, { untilMs: t + 60_000 }).length).toBe(3);
  });

  it("when some are replayed by key, then only the others are still dead letters", async () => {
    const { context } = await ledgerWithDeadLetters();
    const [first] = listDeadLetters(context, { partner: "sms" });
    const results = await replayDeadLetters(context, { keys: [first!.key] });
    expect(results).toEqual([{ key: first!.key, result: "requeued" }]);
    expect(listDeadLetters(context, {}).map((entry) => entry.messageId)).toEqual(["m2", "m3"]);
  });
});
