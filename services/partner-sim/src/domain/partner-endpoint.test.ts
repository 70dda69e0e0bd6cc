import { webhookSignatureHeaders } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import { parseSpec } from "../config.js";
import { PartnerEndpoint } from "./partner-endpoint.js";

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const answer = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  await answer.arrayBuffer();
  return answer.status;
}

describe("a simulated partner", () => {
  it("when the same message arrives twice, signed at two attempts, then it is recorded once as unique and once as a duplicate", async () => {
    const endpoint = new PartnerEndpoint(
      { name: "sms", kind: "sms", port: 0, secret: "s3" },
      "127.0.0.1",
    );
    await endpoint.start();
    try {
      const body = '{"to":"+1555","text":"hi"}';
      const message = { id: "k1", topic: "notification.sms", body };
      const attempt = (at: number) => ({
        "idempotency-key": "k1",
        "x-symbiont-topic": "notification.sms",
        ...webhookSignatureHeaders(message, "s3", at),
      });
      expect(await post(endpoint.url, body, attempt(Date.now()))).toBe(200);
      expect(await post(endpoint.url, body, attempt(Date.now() + 2000))).toBe(200);
      expect(endpoint.log.stats()).toEqual({
        received: 2,
        unique: 1,
        duplicates: 1,
        refused: 0,
        badSignatures: 0,
      });
    } finally {
      await endpoint.stop();
    }
  });

  it("when a delivery is tampered with, replayed, stale or signed with another key, then it is refused and not recorded", async () => {
    const endpoint = new PartnerEndpoint(
      { name: "sms", kind: "sms", port: 0, secret: "new-key", previousSecret: "old-key" },
      "127.0.0.1",
    );
    await endpoint.start();
    try {
      const body = '{"to":"+1555","text":"hi"}';
      const signed = (key: string, at = Date.now(), id = "k2") => ({
        "x-symbiont-topic": "notification.sms",
        ...webhookSignatureHeaders({ id, topic: "notification.sms", body }, key, at),
      });
      const captured = signed("new-key");
      expect(await post(endpoint.url, body, captured)).toBe(200);
      expect(await post(endpoint.url, body, captured)).toBe(409);
      expect(
        await post(endpoint.url, body.replace("hi", "pay"), signed("new-key", Date.now(), "k3")),
      ).toBe(401);
      expect(
        await post(endpoint.url, body, {
          ...signed("new-key", Date.now(), "k4"),
          "x-symbiont-topic": "ads.audience",
        }),
      ).toBe(401);
      expect(
        await post(endpoint.url, body, signed("new-key", Date.now() - 10 * 60_000, "k5")),
      ).toBe(401);
      expect(await post(endpoint.url, body, signed("someone-else", Date.now(), "k6"))).toBe(401);
      expect(await post(endpoint.url, body, { "x-symbiont-topic": "notification.sms" })).toBe(401);
      expect(await post(endpoint.url, body, signed("old-key", Date.now(), "k7"))).toBe(200);
      expect(endpoint.log.stats()).toEqual({
        received: 2,
        unique: 2,
        duplicates: 0,
        refused: 6,
        badSignatures: 6,
      });
    } finally {
      await endpoint.stop();
    }
  });

  it.each([
    [{ mode: "error", status: 503 } as const, 503],
    [{ mode: "reject", status: 422 } as const, 422],
  ])("when its mode is %o, then it answers %i and records nothing", async (mode, status) => {
    const endpoint = new PartnerEndpoint({ name: "pay", kind: "acquirer", port: 0 }, "127.0.0.1");
    await endpoint.start();
    try {
      await endpoint.setMode(mode);
      expect(await post(endpoint.url, "{}", { "idempotency-key": "k" })).toBe(status);
      expect(endpoint.log.stats()).toMatchObject({ received: 0, refused: 1 });
    } finally {
      await endpoint.stop();
    }
  });

  it("when it is down, then connections are refused, and when it is back, then it listens on the same port", async () => {
    const endpoint = new PartnerEndpoint({ name: "ads", kind: "ads", port: 0 }, "127.0.0.1");
    await endpoint.start();
    const url = endpoint.url;
    await endpoint.setMode({ mode: "down" });
    await expect(post(url, "{}")).rejects.toThrow();
    await endpoint.setMode({ mode: "ok" });
    expect(endpoint.url).toBe(url);
    expect(await post(url, "{}", { "idempotency-key": "k" })).toBe(200);
    await endpoint.stop();
  });

  it.each([
    ["sms:sms@8101", { name: "sms", kind: "sms", port: 8101 }],
    ["pay:acquirer", { name: "pay", kind: "acquirer", port: 0 }],
    ["x", { name: "x", kind: "generic", port: 0 }],
  ])("when the spec is %s, then it reads as %o", (spec, expected) => {
    expect(parseSpec(spec)).toEqual(expected);
  });

  it("when the kind is unknown, then the spec is refused", () => {
    expect(() => parseSpec("a:bank")).toThrow(/kind must be one of/);
  });

  it("when it is flaky, then it applies every message and answers a share of them 500 or not at all", async () => {
    const endpoint = new PartnerEndpoint({ name: "sms", kind: "sms", port: 0 }, "127.0.0.1");
    await endpoint.start();
    try {
      await endpoint.setMode({ mode: "flaky", errorRate: 0.25, timeoutRate: 0.1, timeoutMs: 0 });
      const statuses: Array<number | "no answer"> = [];
      for (let n = 0; n < 20; n++)
        statuses.push(
          await post(endpoint.url, JSON.stringify({ n }), { "idempotency-key": `k${n}` }).catch(
            () => "no answer" as const,
          ),
        );
      // Every 4th fails and every 10th times out (the 20th times out rather than failing).
      expect(statuses.filter((s) => s === 500)).toHaveLength(4);
      expect(statuses.filter((s) => s === "no answer")).toHaveLength(2);
      expect(endpoint.log.stats()).toMatchObject({ received: 20, unique: 20, duplicates: 0 });
    } finally {
      await endpoint.stop();
    }
  });
});
