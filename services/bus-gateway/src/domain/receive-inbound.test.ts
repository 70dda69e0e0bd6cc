import { WebhookReplayGuard, webhookSignatureHeaders } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import { testContext } from "../testing/test-context.js";
import { publishWaitingInbound, receiveInbound, type InboundGuards } from "./receive-inbound.js";
import { TokenBucket } from "./token-bucket.js";

// A partner's signed webhook, through the gateway's use case (the integration tests send
// them to a running gateway): what is published, what is refused and with which code.

const sms = {
  name: "sms",
  category: "messaging" as const,
  direction: "inbound" as const,
  binding: "acme-partner-sms",
  produces: ["sms.status", "sms.reply"],
  delivery: { maxAttempts: 3, backoffInitialMs: 10, backoffMaxMs: 100, bufferTtlMs: 60_000 },
  auth: {
    type: "hmac" as const,
    secretEnv: "SYMBIONT_PARTNER_SMS_SECRET",
    previousSecretEnv: "SYMBIONT_PARTNER_SMS_SECRET_PREVIOUS",
  },
};

function gateway(rate = { requestsPerSecond: 1000, burst: 1000 }) {
  const test = testContext({ partners: [{ ...sms, rateLimit: rate }] });
  const context = {
    ...test.context,
    partnerSecrets: new Map([["sms", "key-new"]]),
    partnerPreviousSecrets: new Map([["sms", "key-old"]]),
  };
  const guards: InboundGuards = {
    limiters: new Map([["sms", new TokenBucket(rate.requestsPerSecond, rate.burst)]]),
    replays: new WebhookReplayGuard(),
  };
  const webhook = (
    id: string,
    options: { key?: string; at?: number; topic?: string; body?: string } = {},
  ) => {
    const body = options.body ?? JSON.stringify({ ref: id });
    const topic = options.topic ?? "sms.status";
    return {
      partner: "sms",
      topic,
      body: Buffer.from(body),
      headers: webhookSignatureHeaders({ id, topic, body }, options.key ?? "key-new", options.at),
    };
  };
  const receive = (request: ReturnType<typeof webhook>) =>
    receiveInbound(context, guards, request).then(
      (answer) => ({ status: answer.status, duplicate: answer.duplicate, id: answer.id }),
      (error: { status: number; code: string }) => ({ status: error.status, code: error.code }),
    );
  return { ...test, context, guards, receive, webhook };
}

describe("receiving a signed webhook", () => {
  it("when it is sent again as captured, then 409 and it is published once; re-signed, then it is a duplicate", async () => {
    const { receive, webhook, published } = gateway();
    const captured = webhook("w-1");
    expect(await receive(captured)).toEqual({ status: 202, duplicate: false, id: "w-1" });
    expect(await receive(captured)).toEqual({ status: 409, code: "ReplayedWebhook" });
    expect(await receive(webhook("w-1", { at: Date.now() + 1_000 }))).toEqual({
      status: 200,
      duplicate: true,
      id: "w-1",
    });
    expect(published.map((p) => [p.topic, p.event.id])).toEqual([["sms.status", "w-1"]]);
  });

  it.each([
    ["stale", { at: Date.now() - 6 * 60_000 }, 401, "StaleTimestamp"],
    ["from the future", { at: Date.now() + 6 * 60_000 }, 401, "FutureTimestamp"],
    ["signed with an unknown key", { key: "key-2025" }, 401, "BadSignature"],
  ] as const)(
    "when it is %s, then %i %s and nothing is published",
    async (_, options, status, code) => {
      const { receive, webhook, published, store } = gateway();
      expect(await receive(webhook("w-2", options))).toEqual({ status, code });
      expect(published).toEqual([]);
      expect(store.records).toEqual([]);
    },
  );

  it("when it is moved to another topic, then the signature fails", async () => {
    const { receive, webhook, published } = gateway();
    const signed = webhook("w-3", { topic: "sms.status" });
    expect(await receive({ ...signed, topic: "sms.reply" })).toEqual({
      status: 401,
      code: "BadSignature",
    });
    expect(published).toEqual([]);
  });

  it("when it is signed with the previous key during a rotation, then it is published", async () => {
    const { receive, webhook, published } = gateway();
    expect(await receive(webhook("w-4", { key: "key-old" }))).toMatchObject({ status: 202 });
    expect(published.map((p) => p.event.id)).toEqual(["w-4"]);
  });

  it("when it was refused over the rate, then it is not taken as a replay: sent again it meets the rate (429), not 409", async () => {
    const { receive, webhook, published } = gateway({ requestsPerSecond: 0.001, burst: 1 });
    expect(await receive(webhook("w-5"))).toMatchObject({ status: 202 });
    const over = webhook("w-6");
    expect(await receive(over)).toEqual({ status: 429, code: "RateLimited" });
    expect(await receive(over)).toEqual({ status: 429, code: "RateLimited" });
    // Unsigned calls are refused before the rate: a flood of them locks no partner out.
    expect(await receive({ ...over, headers: {} })).toEqual({
      status: 401,
      code: "MissingSignatureHeaders",
    });
    expect(published.map((p) => p.event.id)).toEqual(["w-5"]);
  });

  it("when the broker is down, then the webhook is refused, kept open with its body, and the partner's retry publishes it once", async () => {
    const { receive, webhook, published, broker, context, guards } = gateway();
    broker.down = true;
    const answer = await receiveInbound(context, guards, webhook("w-7")).catch(
      (error: Error) => error.message,
    );
    expect(answer).toMatch(/connection refused/);
    expect(context.ledger.get("inbound:sms:sms.status:w-7")).toMatchObject({
      state: "accepted",
      payload: '{"ref":"w-7"}',
    });
    broker.down = false;
    // The partner retries (a new signature, same id): published now, then a duplicate.
    expect(await receive(webhook("w-7", { at: Date.now() + 1_000 }))).toEqual({
      status: 202,
      duplicate: false,
      id: "w-7",
    });
    expect(await receive(webhook("w-7", { at: Date.now() + 2_000 }))).toEqual({
      status: 200,
      duplicate: true,
      id: "w-7",
    });
    expect(published.map((p) => p.event.id)).toEqual(["w-7"]);
    expect(context.ledger.get("inbound:sms:sms.status:w-7")).toBeUndefined();
    expect(context.ledger.deliveredCount("inbound", "sms")).toBe(1);
  });

  it("when the broker was down and the partner never retries, then the gateway publishes it itself once it has waited", async () => {
    const { webhook, published, broker, context, guards } = gateway();
    broker.down = true;
    await receiveInbound(context, guards, webhook("w-8")).catch(() => undefined);
    expect(await publishWaitingInbound(context, 0)).toBe(0); // the broker is still down
    broker.down = false;
    // Not before the grace period: the partner's own retry may be on its way.
    expect(await publishWaitingInbound(context, 60_000)).toBe(0);
    expect(published).toEqual([]);
    expect(await publishWaitingInbound(context, 0)).toBe(1);
    expect(published.map((p) => [p.topic, p.event.id, p.event.data])).toEqual([
      ["sms.status", "w-8", { ref: "w-8" }],
    ]);
    expect(context.ledger.get("inbound:sms:sms.status:w-8")).toBeUndefined();
    expect(context.ledger.deliveredCount("inbound", "sms")).toBe(1);
    // The partner's late retry is a duplicate: nothing is published twice.
    expect(
      await receiveInbound(context, guards, webhook("w-8", { at: Date.now() + 1_000 })),
    ).toMatchObject({ status: 200, duplicate: true });
    expect(published).toHaveLength(1);
  });
});
