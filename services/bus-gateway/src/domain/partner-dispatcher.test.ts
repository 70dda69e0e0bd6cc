import { describe, expect, it } from "vitest";
import { partnerDeliverySchema, type PartnerConfig } from "../config.js";
import type { AttemptOutcome } from "./delivery-outcome.js";
import { ArrayRecordStore as ArrayStore } from "../testing/array-record-store.js";
import { Ledger } from "./ledger.js";
import type { LedgerEntry } from "./ledger-entry.js";
import type { PartnerMessage } from "./partner-sender.js";
import { deliveredLingerMs, PartnerDispatcher } from "./partner-dispatcher.js";
import type { LedgerRecord } from "../data/ledger-record-model.js";
import type { AppendResult } from "../data/ledger-store.js";

// The dispatcher against a ledger kept in an array and a partner played by a function.

const partner: PartnerConfig = {
  name: "sms",
  category: "messaging",
  direction: "outbound",
  binding: "b",
  consumes: ["t"],
  produces: [],
  delivery: partnerDeliverySchema.parse({
    maxAttempts: 3,
    backoffInitialMs: 5,
    backoffMaxMs: 20,
    bufferTtlMs: 60_000,
  }),
  // Pacing has its own test below; here the rate never holds a send back.
  rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000 },
  auth: { type: "none" },
};
const quiet = { info: () => undefined, warn: () => undefined };

/** A message for the sms partner, as the gateway's intake records it. */
const smsMessage = (messageId: string, n: number, state: "accepted" | "buffered") => ({
  messageId,
  kind: "partner" as const,
  target: "sms",
  topic: "t",
  pubsub: "c",
  state,
  payload: `{"n":${n}}`,
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !check(); i++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe("the partner dispatcher", () => {
  it("when the partner is down, then messages are buffered and replayed in order once it is back", async () => {
    const ledger = new Ledger(new ArrayStore());
    let up = false;
    const received: string[] = [];
    const send = async (_p: PartnerConfig, entry: PartnerMessage): Promise<AttemptOutcome> => {
      if (!up) return { kind: "transport", error: "connection refused" };
      received.push(entry.messageId);
      return { kind: "delivered" };
    };
    const dispatcher = new PartnerDispatcher(partner, ledger, send, quiet);
    dispatcher.start();
    for (let i = 0; i < 20; i++) {
      await ledger.accept([smsMessage(`m${i}`, i, dispatcher.intakeState)]);
      dispatcher.wake();
    }
    await until(() => dispatcher.circuit.state === "open");
    await until(() =>
      ledger.pending("partner", "sms").every((entry) => entry.state === "buffered"),
    );
    up = true;
    await until(() => received.length === 20);
    await dispatcher.stop();
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    // Delivered entries leave memory and are counted.
    expect(ledger.size).toBe(0);
    expect(ledger.deliveredCount("partner", "sms")).toBe(20);
  });

  it("when a delivered entry's record is slow to land, then the next messages go out meanwhile and none is sent twice", async () => {
    // Records that may linger (delivery outcomes) wait here until released.
    let release: () => void = () => undefined;
    const landed = new Promise<void>((resolve) => (release = resolve));
    const lingers: number[] = [];
    class HeldOutcomes extends ArrayStore {
      override async appendAll(
        records: readonly LedgerRecord[],
        lingerMs = 0,
      ): Promise<AppendResult[]> {
        if (lingerMs > 0) {
          lingers.push(lingerMs);
          await landed;
        }
        return super.appendAll(records);
      }
    }
    const ledger = new Ledger(new HeldOutcomes());
    const received: string[] = [];
    const send = async (_p: PartnerConfig, entry: PartnerMessage): Promise<AttemptOutcome> => {
      received.push(entry.messageId);
      return { kind: "delivered" };
    };
    const dispatcher = new PartnerDispatcher(partner, ledger, send, quiet);
    dispatcher.start();
    for (let i = 0; i < 5; i++) {
      await ledger.accept([smsMessage(`m${i}`, i, "accepted")]);
      dispatcher.wake();
    }
    await until(() => received.length === 5);
    // Passes keep running while the records wait: nothing goes out again.
    for (let i = 0; i < 5; i++) {
      dispatcher.wake();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(received).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    expect(ledger.size).toBe(5);
    expect(lingers).toEqual(Array.from({ length: 5 }, () => deliveredLingerMs));
    release();
    await dispatcher.stop();
    expect(received).toHaveLength(5);
    expect(ledger.size).toBe(0);
    expect(ledger.deliveredCount("partner", "sms")).toBe(5);
  });

  it("when the partner takes several messages at once (delivery.concurrency), then a buffered backlog goes out that many at a time, the circuit's probe alone, and each message arrives once", async () => {
    const ledger = new Ledger(new ArrayStore());
    const parallel = { ...partner, delivery: { ...partner.delivery, concurrency: 4 } };
    let up = false;
    let inFlight = 0;
    let mostAtOnce = 0;
    let mostWhileOpen = 0;
    const received: string[] = [];
    const send = async (_p: PartnerConfig, entry: PartnerMessage): Promise<AttemptOutcome> => {
      inFlight += 1;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      if (dispatcher.circuit.state === "open") mostWhileOpen = Math.max(mostWhileOpen, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      if (!up) return { kind: "transport", error: "connection refused" };
      received.push(entry.messageId);
      return { kind: "delivered" };
    };
    const dispatcher = new PartnerDispatcher(parallel, ledger, send, quiet);
    dispatcher.start();
    for (let i = 0; i < 40; i++) {
      await ledger.accept([smsMessage(`p${i}`, i, dispatcher.intakeState)]);
    }
    dispatcher.wake();
    await until(() => dispatcher.circuit.state === "open");
    await until(() =>
      ledger.pending("partner", "sms").every((entry) => entry.state === "buffered"),
    );
    up = true;
    await until(() => received.length === 40);
    await dispatcher.stop();
    // Sends overlapped, never more than four; the open circuit's probes (the one that found
    // the partner back among them) went one at a time.
    expect(mostAtOnce).toBe(4);
    expect(mostWhileOpen).toBe(1);
    expect([...received].sort()).toEqual(Array.from({ length: 40 }, (_, i) => `p${i}`).sort());
    expect(new Set(received).size).toBe(40);
    expect(ledger.size).toBe(0);
    expect(ledger.deliveredCount("partner", "sms")).toBe(40);
  });

  it("when the partner rejects one message, then it is dead-lettered after maxAttempts and the others still arrive", async () => {
    const ledger = new Ledger(new ArrayStore());
    const received: string[] = [];
    const send = async (_p: PartnerConfig, entry: PartnerMessage): Promise<AttemptOutcome> => {
      if (entry.messageId === "bad")
        return {
          kind: "rejected",
          status: 400,
          error: "partner refused the message with HTTP 400",
        };
      received.push(entry.messageId);
      return { kind: "delivered" };
    };
    const dispatcher = new PartnerDispatcher(partner, ledger, send, quiet);
    dispatcher.start();
    await ledger.accept(
      ["a", "bad", "b"].map((id) => ({
        messageId: id,
        kind: "partner" as const,
        target: "sms",
        topic: "t",
        pubsub: "c",
        state: "accepted" as const,
        payload: "{}",
      })),
    );
    dispatcher.wake();
    await until(() => ledger.get("partner:sms:t:bad")?.state === "dead-lettered");
    await dispatcher.stop();
    expect(received).toEqual(["a", "b"]);
    expect(ledger.get("partner:sms:t:bad")).toMatchObject({
      attempts: 3,
      lastError: expect.stringMatching(/HTTP 400; 3 attempts/),
    });
  });

  it("when the ledger is read back, then every entry has its last state and redeliveries are recognised", async () => {
    const store = new ArrayStore();
    const ledger = new Ledger(store);
    const [first] = await ledger.accept([
      {
        messageId: "x",
        kind: "partner",
        target: "sms",
        topic: "t",
        pubsub: "c",
        state: "accepted",
        payload: "{}",
      },
    ]);
    await ledger.change(first as LedgerEntry, { state: "delivered", attempts: 1 });
    const reloaded = new Ledger(store);
    await reloaded.load();
    expect(await reloaded.find("partner:sms:t:x")).toMatchObject({
      state: "delivered",
      attempts: 1,
      revision: 2,
    });
    expect(
      await reloaded.accept([
        {
          messageId: "x",
          kind: "partner",
          target: "sms",
          topic: "t",
          pubsub: "c",
          state: "accepted",
        },
      ]),
    ).toEqual(["duplicate"]);
    expect(store.records.map((record) => record._id)).toEqual([
      "partner:sms:t:x@0",
      "partner:sms:t:x@1",
    ]);
  });
  it("when the ledger database is down while messages are delivered, then sends pause until it is back and each message reaches the partner once", async () => {
    const store = new ArrayStore();
    const ledger = new Ledger(store);
    const received: string[] = [];
    let sentWhileDown = 0;
    const send = async (_p: PartnerConfig, entry: PartnerMessage): Promise<AttemptOutcome> => {
      received.push(entry.messageId);
      if (store.failing) sentWhileDown += 1;
      // The ledger goes down while the second message is at the partner.
      if (entry.messageId === "m1") store.failing = true;
      return { kind: "delivered" };
    };
    const dispatcher = new PartnerDispatcher(partner, ledger, send, quiet);
    await ledger.accept(
      ["m0", "m1", "m2", "m3"].map((id) => ({
        messageId: id,
        kind: "partner" as const,
        target: "sms",
        topic: "t",
        pubsub: "c",
        state: "accepted" as const,
        payload: "{}",
      })),
    );
    dispatcher.start();
    await until(() => received.length >= 4);
    // Down for a while: the gateway tries the ledger again and again meanwhile.
    await until(() => store.refused >= 5);
    expect(received).toEqual(["m0", "m1", "m2", "m3"]);
    expect(dispatcher.ledgerAvailable).toBe(false);
    store.failing = false;
    await until(() => ledger.pending("partner", "sms").length === 0);
    await dispatcher.stop();
    expect(received).toEqual(["m0", "m1", "m2", "m3"]);
    expect(sentWhileDown).toBe(2);
    expect(dispatcher.ledgerAvailable).toBe(true);
    const reloaded = new Ledger(store);
    await reloaded.load();
    expect(reloaded.size).toBe(0);
    const found = await Promise.all(
      ["m0", "m1", "m2", "m3"].map((id) => reloaded.find(`partner:sms:t:${id}`)),
    );
    expect(found.map((e) => [e?.messageId, e?.state, e?.attempts])).toEqual([
      ["m0", "delivered", 1],
      ["m1", "delivered", 1],
      ["m2", "delivered", 1],
      ["m3", "delivered", 1],
    ]);
  });

  it("when a burst of messages exceeds the partner's rateLimit, then sends wait for the bucket: burst at once, then requestsPerSecond, in order", async () => {
    const ledger = new Ledger(new ArrayStore());
    let now = 1_000_000;
    const sentAt: Array<[string, number]> = [];
    const send = async (_p: PartnerConfig, entry: PartnerMessage): Promise<AttemptOutcome> => {
      sentAt.push([entry.messageId, now]);
      return { kind: "delivered" };
    };
    const paced = { ...partner, rateLimit: { requestsPerSecond: 2, burst: 3 } };
    const dispatcher = new PartnerDispatcher(paced, ledger, send, quiet, () => now);
    await ledger.accept(
      Array.from({ length: 7 }, (_, i) => ({
        messageId: `m${i}`,
        kind: "partner" as const,
        target: "sms",
        topic: "t",
        pubsub: "c",
        state: "accepted" as const,
        payload: `{"n":${i}}`,
      })),
    );
    dispatcher.start();
    // The clock stands still until the burst is spent and the dispatcher waits for a token.
    await until(() => sentAt.length === 3 && dispatcher.throttled > 0);
    const start = now;
    // Then the test moves the clock in 100 ms steps; the dispatcher sends only with a token.
    while (sentAt.length < 7) {
      now += 100;
      dispatcher.wake();
      // A turn of the event loop for the dispatcher's pass; the bound below holds however late.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await dispatcher.stop();
    expect(sentAt.map(([id]) => id)).toEqual(["m0", "m1", "m2", "m3", "m4", "m5", "m6"]);
    // The i-th send after the burst needs (i - burst + 1) tokens at 2 a second: 500 ms each.
    sentAt.forEach(([, at], i) =>
      expect(at - start).toBeGreaterThanOrEqual(Math.max(0, i - 2) * 500),
    );
    expect(sentAt.slice(0, 3).every(([, at]) => at === start)).toBe(true);
    expect(ledger.size).toBe(0);
    expect(ledger.deliveredCount("partner", "sms")).toBe(7);
  });
});
