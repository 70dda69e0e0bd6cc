import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "@symbiont/contracts";
import { callbackRequestedSchema } from "@symbiont/processes/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPartnerSim, type PartnerSim } from "../partner-sim.js";

// The telephony partner's admin API over real HTTP: a caller's callback request leaves as a
// webhook signed the way the bus gateway verifies it, to a receiver standing in for the
// gateway's /inbound/telephony; bad calls to the API get a 4xx naming what is wrong.

const secret = "telephony-shared-key";
const received: Array<{ key: string; topic: string; signatureValid: boolean; body: unknown }> = [];
let receiver: Server;
let sim: PartnerSim;

/** What the API's answers carry, as far as these tests read them. */
interface Answer {
  call: { id: string; state: string };
  callback: { request: { requestId: string }; webhook: unknown };
  agents: unknown[];
  calls: Array<{ id: string; state: string }>;
  callbacks: unknown[];
  error: { message: string };
}

async function admin(method: string, path: string, body?: unknown) {
  const answer = await fetch(`${sim.adminUrl}/admin/partners/telephony${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: answer.status, body: (await answer.json()) as Answer };
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      received.push({
        key: String(req.headers["idempotency-key"]),
        topic: String(req.headers["x-symbiont-topic"]),
        // Checked with the contract's verifyWebhook, as the gateway does.
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
  sim = await startPartnerSim(
    {
      adminPort: 0,
      host: "127.0.0.1",
      partners: [{ name: "telephony", kind: "telephony", port: 0, secret }],
    },
    { logLevel: "silent" },
  );
  const port = (receiver.address() as AddressInfo).port;
  const settings = await admin("PUT", "/telephony", {
    callbackUrl: `http://127.0.0.1:${port}/inbound/telephony`,
    queues: [{ name: "sales", key: "1", managers: ["m-1", "m-2"] }],
  });
  expect(settings.status).toBe(200);
});

afterAll(async () => {
  await sim.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("the telephony partner's API", () => {
  it("when a caller asks to be called back, then a signed webhook carries the request the processes module reads, and the state shows it", async () => {
    const onCall = await admin("POST", "/calls", { from: "+79160000001" });
    expect(
      (await admin("POST", `/calls/${onCall.body.call.id}/keys`, { digits: "1" })).body,
    ).toMatchObject({ call: { state: "connected", managerId: "m-1" } });
    const caller = await admin("POST", "/calls", { from: "+79161234567" });
    const asked = await admin("POST", `/calls/${caller.body.call.id}/keys`, { digits: "1*" });
    expect(asked.body.callback.webhook).toMatchObject({ status: 202, delivered: true });
    const [webhook] = received;
    expect(webhook).toMatchObject({
      topic: "telephony.callback.requested",
      key: `telephony.callback.requested:${asked.body.callback.request.requestId}`,
      signatureValid: true,
    });
    expect(callbackRequestedSchema.parse(webhook!.body)).toMatchObject({
      phone: "+79161234567",
      queue: "sales",
      ivrChoice: "1",
      agents: [
        { managerId: "m-1", status: "busy" },
        { managerId: "m-2", status: "free" },
      ],
    });
    const state = await admin("GET", "/telephony");
    expect(state.body.agents).toEqual([
      { managerId: "m-1", status: "busy", callId: onCall.body.call.id, calls: 1 },
      { managerId: "m-2", status: "free", calls: 0 },
    ]);
    expect(state.body.callbacks).toHaveLength(1);
  });

  it.each([
    ["a number that is not E.164", "POST", "/calls", { from: "8 916 123" }, 400, /body\.from/],
    ["an unknown call", "POST", "/calls/call-nope/keys", { digits: "1" }, 404, /no call call-nope/],
    [
      "a form for an unknown queue",
      "POST",
      "/callbacks",
      { phone: "+79161234567", queue: "billing" },
      400,
      /no queue billing/,
    ],
    [
      "queues sharing a key",
      "PUT",
      "/telephony",
      {
        queues: [
          { name: "a", key: "1", managers: [] },
          { name: "b", key: "1", managers: [] },
        ],
      },
      400,
      /keys repeat/,
    ],
  ])(
    "when it is sent %s, then it answers %s",
    async (_what, method, path, body, status, message) => {
      const answer = await admin(method, path, body);
      expect(answer.status).toBe(status);
      expect(JSON.stringify(answer.body)).toMatch(message);
    },
  );

  it("when a key is not in the menu, then 400 lists the menu, and the call stays in it", async () => {
    const call = await admin("POST", "/calls", { from: "+79160000002" });
    const wrong = await admin("POST", `/calls/${call.body.call.id}/keys`, { digits: "7" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe("key 7 is not in the menu (1: sales)");
    const state = await admin("GET", "/telephony");
    expect(state.body.calls.find((c) => c.id === call.body.call.id)?.state).toBe("menu");
  });
});
