import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  signWebhook,
  verifyWebhook,
  webhookSignatureHeaders,
  WebhookAttemptClock,
  WebhookReplayGuard,
  type VerifyWebhookOptions,
} from "./webhook-signature.js";

const now = Date.UTC(2026, 11, 1, 12, 0, 0);
const body = JSON.stringify({ messageRef: "r1", state: "delivered" });
const topic = "sms.status";
const key = "current-key";
const headers = (
  overrides: { key?: string; at?: number; id?: string; topic?: string; body?: string } = {},
) =>
  webhookSignatureHeaders(
    { id: overrides.id ?? "msg_1", topic: overrides.topic ?? topic, body: overrides.body ?? body },
    overrides.key ?? key,
    overrides.at ?? now,
  );
const verify = (
  given: Record<string, string | undefined>,
  options: Partial<VerifyWebhookOptions> = {},
  received: { topic?: string; body?: string } = {},
) =>
  verifyWebhook(
    { headers: given, topic: received.topic ?? topic, body: received.body ?? body },
    { keys: [key], now, ...options },
  );

describe("webhook signatures", () => {
  it("when a partner signs id.timestamp.topic.body, then the receiver accepts it", () => {
    const signed = headers();
    expect(signed["webhook-timestamp"]).toBe(String(now / 1000));
    expect(signed["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verify(signed)).toEqual({ ok: true, id: "msg_1", timestamp: now / 1000 });
  });

  it("when computed by hand in any language, then the signature is HMAC-SHA256 over the documented string", () => {
    const expected = createHmac("sha256", key)
      .update(`msg_1.${now / 1000}.${topic}.${body}`)
      .digest("base64");
    expect(signWebhook({ id: "msg_1", timestamp: now / 1000, topic, body }, key)).toBe(
      `v1,${expected}`,
    );
  });

  it("when the key is a Standard Webhooks secret (whsec_), then its decoded bytes are the key", () => {
    const raw = Buffer.from("0123456789abcdef0123456789abcdef");
    const secret = `whsec_${raw.toString("base64")}`;
    const expected = createHmac("sha256", raw).update(`msg_1.1.${topic}.${body}`).digest("base64");
    expect(signWebhook({ id: "msg_1", timestamp: 1, topic, body }, secret)).toBe(`v1,${expected}`);
  });

  it.each([
    ["a tampered body", {}, { body: body.replace("delivered", "failed") }, "BadSignature"],
    ["another topic", {}, { topic: "sms.inbound" }, "BadSignature"],
    ["an unknown key", { keys: ["someone-else"] }, {}, "BadSignature"],
    ["no key at all", { keys: [] }, {}, "BadSignature"],
    ["an empty key", { keys: [""] }, {}, "BadSignature"],
  ] as const)("when it arrives with %s, then it is refused", (_, options, received, reason) => {
    const verdict = verify(headers(), options, received);
    expect(verdict).toMatchObject({ ok: false, reason });
  });

  it("when the timestamp header is changed, then the signature no longer matches", () => {
    const signed = headers();
    const moved = { ...signed, "webhook-timestamp": String(now / 1000 + 1) };
    expect(verify(moved)).toMatchObject({ ok: false, reason: "BadSignature" });
  });

  it("when the id header is changed, then the signature no longer matches", () => {
    expect(verify({ ...headers(), "webhook-id": "msg_2" })).toMatchObject({
      ok: false,
      reason: "BadSignature",
    });
  });

  it("when it was signed longer ago than the tolerance, then it is refused as stale", () => {
    const verdict = verify(headers({ at: now - 5 * 60_000 - 1000 }));
    expect(verdict).toMatchObject({ ok: false, reason: "StaleTimestamp" });
    expect(!verdict.ok && verdict.message).toContain("301s old; at most 300s");
    expect(verify(headers({ at: now - 5 * 60_000 }))).toMatchObject({ ok: true });
  });

  it("when it is signed further in the future than the tolerance, then it is refused", () => {
    expect(verify(headers({ at: now + 5 * 60_000 + 1000 }))).toMatchObject({
      ok: false,
      reason: "FutureTimestamp",
    });
  });

  it("when the tolerance is configured, then it decides", () => {
    const signed = headers({ at: now - 60_000 });
    expect(verify(signed, { toleranceMs: 30_000 })).toMatchObject({ reason: "StaleTimestamp" });
    expect(verify(signed, { toleranceMs: 120_000 })).toMatchObject({ ok: true });
  });

  it("when a captured webhook is sent again, then the replay is refused; the sender's re-signed retry passes", () => {
    const guard = new WebhookReplayGuard();
    const signed = headers();
    expect(verify(signed, { guard, scope: "sms" })).toMatchObject({ ok: true });
    expect(verify(signed, { guard, scope: "sms", now: now + 1000 })).toMatchObject({
      ok: false,
      reason: "ReplayedWebhook",
    });
    const retry = headers({ at: now + 2000 });
    expect(verify(retry, { guard, scope: "sms", now: now + 2000 })).toMatchObject({ ok: true });
    expect(verify(signed, { guard, scope: "pay", now: now + 1000 })).toMatchObject({ ok: true });
  });

  it("when the request that took an id failed and is released, then the same webhook may be sent again", () => {
    const guard = new WebhookReplayGuard();
    const signed = headers();
    expect(verify(signed, { guard })).toMatchObject({ ok: true });
    guard.release("", "msg_1", now / 1000);
    expect(verify(signed, { guard })).toMatchObject({ ok: true });
    expect(verify(signed, { guard })).toMatchObject({ reason: "ReplayedWebhook" });
  });

  it("when the window has passed, then the guard forgets the id (the timestamp refuses it)", () => {
    const guard = new WebhookReplayGuard(60_000);
    const signed = headers();
    expect(verify(signed, { guard, toleranceMs: 60_000 })).toMatchObject({ ok: true });
    expect(guard.size).toBe(1);
    const later = now + 61_000;
    expect(verify(signed, { guard, toleranceMs: 60_000, now: later })).toMatchObject({
      reason: "StaleTimestamp",
    });
    guard.take("", "other", later / 1000, later);
    expect(guard.size).toBe(1);
  });

  it("when a key is rotated, then the previous key still verifies and the new one signs", () => {
    const options = { keys: ["new-key", "old-key"] };
    expect(verify(headers({ key: "old-key" }), options)).toMatchObject({ ok: true });
    expect(verify(headers({ key: "new-key" }), options)).toMatchObject({ ok: true });
    expect(verify(headers({ key: "retired-key" }), options)).toMatchObject({
      reason: "BadSignature",
    });
  });

  it("when several signatures are sent, then one that matches is enough", () => {
    const byOld = headers({ key: "old-key" })["webhook-signature"]!;
    const byNew = headers({ key: "new-key" })["webhook-signature"]!;
    const both = { ...headers(), "webhook-signature": `${byOld} ${byNew}` };
    expect(verify(both, { keys: ["new-key"] })).toMatchObject({ ok: true });
    expect(
      verify({ ...both, "webhook-signature": `v2,${byNew.slice(3)}` }, { keys: ["new-key"] }),
    ).toMatchObject({ reason: "BadSignature" });
  });

  it.each([
    [{ "webhook-id": undefined }, "MissingSignatureHeaders"],
    [{ "webhook-timestamp": undefined }, "MissingSignatureHeaders"],
    [{ "webhook-signature": undefined }, "MissingSignatureHeaders"],
    [{ "webhook-signature": "" }, "MissingSignatureHeaders"],
    [{ "webhook-id": "a b" }, "InvalidWebhookId"],
    [{ "webhook-id": "é" }, "InvalidWebhookId"],
    [{ "webhook-id": "x".repeat(201) }, "InvalidWebhookId"],
    [{ "webhook-timestamp": "1.5" }, "InvalidTimestamp"],
    [{ "webhook-timestamp": "-1" }, "InvalidTimestamp"],
    [{ "webhook-signature": "v1," }, "BadSignature"],
    [{ "webhook-signature": "sha256=00" }, "BadSignature"],
  ])("when the headers are %j, then it is refused (%s)", (override, reason) => {
    expect(verify({ ...headers(), ...override })).toMatchObject({ ok: false, reason });
  });

  it("when a sender retries within the second of its previous attempt, then the retry is dated a second later and is not taken as a replay", () => {
    const clock = new WebhookAttemptClock();
    const guard = new WebhookReplayGuard();
    const first = clock.next("msg_1", now + 100);
    const retry = clock.next("msg_1", now + 400);
    expect(Math.floor(first / 1000)).toBe(now / 1000);
    expect(Math.floor(retry / 1000)).toBe(now / 1000 + 1);
    expect(clock.next("msg_2", now + 400)).toBe(now + 400);
    expect(verify(headers({ at: first }), { guard, now: now + 100 })).toMatchObject({ ok: true });
    expect(verify(headers({ at: retry }), { guard, now: now + 400 })).toMatchObject({ ok: true });
  });
});
