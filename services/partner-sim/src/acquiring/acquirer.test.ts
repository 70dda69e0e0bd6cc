import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook, webhookSignatureHeaders } from "@symbiont/contracts";
import { paymentRefundedSchema, paymentSucceededSchema } from "@symbiont/marketplace/events";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PartnerEndpoint } from "../domain/partner-endpoint.js";
import { Acquirer } from "./acquirer.js";

// The acquiring personality over real HTTP: a payment intent delivered to its port comes
// back as a webhook signed the way the bus gateway verifies it, to a receiver standing in
// for the gateway's /inbound/acquiring (it checks with the contract's verifyWebhook, as the
// gateway does).

interface Received {
  topic: string;
  key: string;
  signatureValid: boolean;
  body: unknown;
}

const secret = "acquiring-shared-key";
const received: Received[] = [];
let receiver: Server;
let endpoint: PartnerEndpoint;
let acquirer: Acquirer;

const intent = (n: number) => ({
  paymentId: `pay-${n}`,
  orderId: "6f1c1f0e-1f2a-5b3c-8d4e-5f6a7b8c9d0e",
  amount: 1350.5,
  currency: "RUB",
  description: "Cleaning of common areas: 3 x flat-month",
  requestedAt: "2026-12-01T10:00:00.000Z",
});

/** A delivery as the gateway makes it; a retry is signed at a later attempt (`at`). */
async function deliver(payload: unknown, key: string, at = Date.now()): Promise<number> {
  const body = JSON.stringify(payload);
  const answer = await fetch(endpoint.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-symbiont-topic": "payment.requested",
      "idempotency-key": key,
      ...webhookSignatureHeaders({ id: key, topic: "payment.requested", body }, secret, at),
    },
    body,
  });
  await answer.arrayBuffer();
  return answer.status;
}

async function until<T>(read: () => T | undefined): Promise<T> {
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      received.push({
        topic: String(req.headers["x-symbiont-topic"]),
        key: String(req.headers["idempotency-key"]),
        signatureValid: verifyWebhook(
          {
            headers: req.headers as Record<string, string | undefined>,
            topic: String(req.headers["x-symbiont-topic"]),
            body: raw,
          },
          { keys: [secret] },
        ).ok,
        body: JSON.parse(raw.toString("utf8")) as unknown,
      });
      res.writeHead(202, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  endpoint = new PartnerEndpoint(
    {
      name: "acquiring",
      kind: "acquirer",
      port: 0,
      secret,
      callbackUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/inbound/acquiring`,
    },
    "127.0.0.1",
  );
  await endpoint.start();
  acquirer = new Acquirer(endpoint, pino({ level: "silent" }));
});

afterAll(async () => {
  await endpoint.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("the acquiring partner", () => {
  it("when a payment intent is delivered, then it answers with a signed payment.succeeded webhook for that order", async () => {
    expect(await deliver(intent(1), "payment.requested:pay-1")).toBe(200);
    const webhook = await until(() => received.find((r) => r.key === "payment.succeeded:pay-1"));
    expect(webhook.topic).toBe("payment.succeeded");
    expect(webhook.signatureValid).toBe(true);
    const payment = paymentSucceededSchema.parse(webhook.body);
    expect(payment).toMatchObject({
      paymentId: "pay-1",
      orderId: intent(1).orderId,
      amount: 1350.5,
      currency: "RUB",
    });
    expect(acquirer.payments.get("pay-1")?.status).toBe("captured");
  });

  it("when the same intent is delivered again, then the customer is charged once and no second webhook is sent", async () => {
    await deliver(intent(2), "payment.requested:pay-2");
    await until(() => received.find((r) => r.key === "payment.succeeded:pay-2"));
    expect(await deliver(intent(2), "payment.requested:pay-2", Date.now() + 2000)).toBe(200);
    expect(await deliver(intent(3), "payment.requested:pay-3")).toBe(200);
    await until(() => received.find((r) => r.key === "payment.succeeded:pay-3"));
    expect(received.filter((r) => r.key === "payment.succeeded:pay-2")).toHaveLength(1);
  });

  it("when a refund is made, then a signed payment.refunded webhook says how much, and what is left shrinks", async () => {
    const first = await acquirer.refund("pay-1", 350.5, "two flats fewer");
    expect(first).toMatchObject({ delivered: true, status: 202 });
    const webhook = received.find((r) => r.key === `payment.refunded:${first.refundId}`)!;
    expect(webhook.signatureValid).toBe(true);
    expect(paymentRefundedSchema.parse(webhook.body)).toMatchObject({
      paymentId: "pay-1",
      amount: 350.5,
      reason: "two flats fewer",
    });
    const rest = await acquirer.refund("pay-1");
    expect(paymentRefundedSchema.parse(received.at(-1)!.body).amount).toBe(1000);
    expect(rest.refundId).not.toBe(first.refundId);
    expect(acquirer.payments.get("pay-1")?.status).toBe("refunded");
    await expect(acquirer.refund("pay-1", 1)).rejects.toThrow(/refunded with 0 RUB left/);
  });

  it("when a callback is replayed, then it carries the same key, or a new one when fresh", async () => {
    await acquirer.replay("pay-3", false);
    await acquirer.replay("pay-3", true);
    const keys = received
      .filter((r) => r.topic === "payment.succeeded" && r.key.startsWith("payment.succeeded:pay-3"))
      .map((r) => r.key);
    expect(keys).toEqual([
      "payment.succeeded:pay-3",
      "payment.succeeded:pay-3",
      expect.stringMatching(/^payment\.succeeded:pay-3:replay-\d+$/),
    ]);
  });

  it("when the body is not a payment intent, then nothing is charged", async () => {
    const before = acquirer.payments.size;
    expect(await deliver({ orderId: "x" }, "payment.requested:junk")).toBe(200);
    expect(await deliver(intent(9), "payment.requested:pay-9")).toBe(200);
    await until(() => acquirer.payments.get("pay-9"));
    expect(acquirer.payments.size).toBe(before + 1);
  });
});
