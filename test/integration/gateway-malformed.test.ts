import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signPayload, type GatewayFile } from "@symbiont/bus-gateway";
import { signWebhook, webhookSignatureHeaders } from "@symbiont/contracts";
import { startPartnerSim, type PartnerSim } from "@symbiont/partner-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { eventually } from "../support/kube.js";
import {
  gatewayAppId,
  gatewayFile,
  getJson,
  publish,
  publishSurely,
  startGatewayProcess,
  startLedgerDb,
  startPublisher,
  startRedis,
  uniqueEcosystem,
  writeResources,
  type Redis,
  type RunningGateway,
} from "../../dev/stack/gateway-stack.js";

// A4: what comes from outside is refused precisely, and nothing invalid is stored or
// passed on. 100+ malformed inputs: bad JSON, schema violations (webhooks and bus
// events), oversized bodies, bad signatures, unknown partners and topics, bad
// webhook ids, rate limits.

interface Case {
  name: string;
  partner: string;
  body: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const secret = "status-webhook-secret";
const statusSchema = {
  type: "object",
  required: ["messageRef", "state"],
  additionalProperties: false,
  properties: {
    messageRef: { type: "string", minLength: 1 },
    state: { enum: ["sent", "delivered", "failed"] },
    at: { type: "string" },
  },
};
let nextId = 0;
/** Headers of a webhook signed as the partner signs it: a new id each time, the topic signed. */
const signed = (
  body: string | Buffer,
  extra: Record<string, string> = {},
  options: { id?: string; at?: number; key?: string } = {},
) => ({
  ...webhookSignatureHeaders(
    {
      id: options.id ?? `mf-${++nextId}`,
      topic: extra["x-symbiont-topic"] ?? "sms.status",
      body,
    },
    options.key ?? secret,
    options.at,
  ),
  ...extra,
});
const nowSeconds = () => Math.floor(Date.now() / 1000);

function malformedCases(): Case[] {
  const cases: Case[] = [];
  const badJson = [
    "{",
    "}",
    "{'a':1}",
    '{"a":}',
    "[1,2",
    "nul",
    "undefined",
    '{"a":1,}',
    "\u0000",
    "<xml/>",
    '{"a":"\\x"}',
    "--",
    "{a:1}",
    '"unterminated',
    "01",
    "NaN",
    "{}{}",
    "[,]",
    '{"a" 1}',
    "tru",
    "[",
    '{"a":1',
  ];
  badJson.forEach((body, i) =>
    cases.push({
      name: `bad JSON ${i}`,
      partner: "sms",
      body,
      headers: signed(body),
      status: 400,
      code: "MalformedBody",
    }),
  );
  const valid = JSON.stringify({ messageRef: "r1", state: "sent" });
  const signature = (headers: Record<string, string>) => headers["webhook-signature"]!;
  const badSignatures: Array<[Record<string, string>, number, string]> = [
    [{}, 401, "MissingSignatureHeaders"],
    [{ ...signed(valid), "webhook-signature": "" }, 401, "MissingSignatureHeaders"],
    [{ ...signed(valid), "webhook-id": "" }, 401, "MissingSignatureHeaders"],
    [{ ...signed(valid), "webhook-timestamp": "" }, 401, "MissingSignatureHeaders"],
    [{ authorization: `Bearer ${secret}` }, 401, "MissingSignatureHeaders"],
    [{ "x-symbiont-signature": signPayload(valid, secret) }, 401, "MissingSignatureHeaders"],
    [{ ...signed(valid), "webhook-signature": "v1," }, 401, "BadSignature"],
    [signed(valid, {}, { key: "wrong-key" }), 401, "BadSignature"],
    [signed(valid, {}, { key: secret.toUpperCase() }), 401, "BadSignature"],
    [signed(valid, {}, { key: "" }), 401, "BadSignature"],
    [
      { ...signed(valid), "webhook-signature": signature(signed(`${valid} `, {})) },
      401,
      "BadSignature",
    ],
    [{ ...signed(valid), "webhook-signature": signature(signed("", {})) }, 401, "BadSignature"],
    [
      { ...signed(valid), "webhook-signature": signature(signed(Buffer.from(valid, "utf16le"))) },
      401,
      "BadSignature",
    ],
    [
      {
        ...signed(valid),
        "webhook-signature": signature(signed(JSON.stringify({ state: "sent", messageRef: "r1" }))),
      },
      401,
      "BadSignature",
    ],
    [
      { ...signed(valid), "webhook-signature": signature(signed(valid)).slice(0, 20) },
      401,
      "BadSignature",
    ],
    [
      { ...signed(valid), "webhook-signature": signature(signed(valid)).replace("v1,", "v2,") },
      401,
      "BadSignature",
    ],
    [{ ...signed(valid), "webhook-signature": `sha256=${"0".repeat(64)}` }, 401, "BadSignature"],
    // Another message's signature, another topic's, a changed id or timestamp.
    [{ ...signed(valid, {}, { id: "mf-a" }), "webhook-id": "mf-b" }, 401, "BadSignature"],
    [
      {
        ...signed(valid),
        "webhook-signature": signWebhook(
          { id: "x", timestamp: nowSeconds(), topic: "sms.other", body: valid },
          secret,
        ),
      },
      401,
      "BadSignature",
    ],
    [
      {
        ...signed(valid, {}, { at: Date.now() - 60_000 }),
        "webhook-timestamp": String(nowSeconds()),
      },
      401,
      "BadSignature",
    ],
    [signed(valid, {}, { at: Date.now() - 10 * 60_000 }), 401, "StaleTimestamp"],
    [signed(valid, {}, { at: Date.now() + 10 * 60_000 }), 401, "FutureTimestamp"],
    [{ ...signed(valid), "webhook-timestamp": "soon" }, 400, "InvalidTimestamp"],
  ];
  badSignatures.forEach(([headers, status, code], i) =>
    cases.push({
      name: `bad signature ${i}`,
      partner: "sms",
      body: valid,
      headers,
      status,
      code,
    }),
  );
  const violations: unknown[] = [
    {},
    { messageRef: "r1" },
    { state: "sent" },
    { messageRef: "", state: "sent" },
    { messageRef: 7, state: "sent" },
    { messageRef: "r1", state: "lost" },
    { messageRef: "r1", state: "sent", extra: true },
    { messageRef: null, state: "sent" },
    { messageRef: "r1", state: "sent", at: 5 },
    [],
    [{ messageRef: "r1", state: "sent" }],
    "text",
    42,
    true,
    null,
    { messageRef: ["r1"], state: "sent" },
    { messageRef: "r1", state: { value: "sent" } },
    { MessageRef: "r1", state: "sent" },
    { messageRef: "r1", State: "sent" },
    { messageRef: "r1", state: "SENT" },
  ];
  violations.forEach((payload, i) => {
    const body = JSON.stringify(payload);
    cases.push({
      name: `schema violation ${i}`,
      partner: "sms",
      body,
      headers: signed(body),
      status: 422,
      code: "SchemaViolation",
    });
  });
  for (const size of [300_000, 400_000, 1_000_000]) {
    const body = JSON.stringify({ messageRef: "r".repeat(size), state: "sent" });
    cases.push({
      name: `oversized ${size}`,
      partner: "sms",
      body,
      headers: signed(body),
      status: 413,
      code: "PayloadTooLarge",
    });
  }
  for (const name of [
    "unknown",
    "SMS",
    "sms-",
    "pay",
    "sms.",
    "sms%2F..",
    "a".repeat(300),
    "bank",
    "crm",
    "gateway",
  ]) {
    cases.push({
      name: `unknown partner ${name.slice(0, 12)}`,
      partner: name,
      body: valid,
      headers: signed(valid),
      status: 404,
      code: "UnknownPartner",
    });
  }
  for (const topic of [
    "order.created",
    "sms.status.deadletter",
    "SMS.STATUS",
    "sms",
    "internal.secret",
    "payment.requested",
    "x",
    "sms.status.v2",
    "notification.sms",
    "a.b.c",
  ]) {
    cases.push({
      name: `unknown topic ${topic}`,
      partner: "sms",
      body: valid,
      headers: signed(valid, { "x-symbiont-topic": topic }),
      status: 400,
      code: "UnknownTopic",
    });
  }
  for (const credentials of [
    "",
    "Basic",
    "Basic x",
    `Basic ${Buffer.from("sso:wrong").toString("base64")}`,
    `Bearer sso:pass`,
    `Basic ${Buffer.from("SSO:pass").toString("base64")}`,
    `basic ${Buffer.from("sso:pass").toString("base64")}`,
    `Basic ${Buffer.from("sso:pass ").toString("base64")}`,
    `Basic ${Buffer.from("sso:pass").toString("base64")}=`,
    "Digest abc",
  ]) {
    const body = JSON.stringify({ subject: "u1", event: "login" });
    cases.push({
      name: `basic credentials ${credentials.slice(0, 12)}`,
      partner: "sso",
      body,
      headers: credentials ? { authorization: credentials } : {},
      status: 401,
      code: "Unauthorized",
    });
  }
  for (const [id, code] of [
    ["has space", "InvalidWebhookId"],
    ["semi;colon", "InvalidWebhookId"],
    ["k".repeat(201), "InvalidWebhookId"],
    ["key/slash", "InvalidWebhookId"],
    ["key#hash", "InvalidWebhookId"],
    ["back\\slash", "InvalidWebhookId"],
  ] as const) {
    cases.push({
      name: `webhook id ${id.slice(0, 10)}`,
      partner: "sms",
      body: valid,
      headers: signed(valid, {}, { id }),
      status: 400,
      code,
    });
  }
  return cases;
}

describe("the bus gateway refusing malformed input", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-malformed-"));
  const ecosystem = uniqueEcosystem("mf");
  let redis: Redis;
  let db: FerretDb;
  let sim: PartnerSim;
  let gateway: RunningGateway;
  let core: Daprd;
  let file: GatewayFile;

  beforeAll(async () => {
    redis = await startRedis(dir);
    db = await startLedgerDb(dir);
    sim = await startPartnerSim(
      { adminPort: 0, host: "127.0.0.1", partners: [{ name: "ads", kind: "ads", port: 0 }] },
      { logLevel: "silent" },
    );
    file = gatewayFile({
      ecosystem,
      routes: [
        {
          name: "status-in",
          topic: "sms.status",
          direction: "import",
          schema: statusSchema,
          redact: [],
          sign: false,
        },
        {
          // Written for draft-07 with a 2020-12 keyword: the gateway cannot compile it.
          name: "legacy-out",
          topic: "legacy.segment",
          direction: "export",
          schema: {
            $schema: "http://json-schema.org/draft-07/schema#",
            type: "object",
            unevaluatedProperties: false,
          },
          redact: [],
          sign: false,
        },
        {
          name: "segments-out",
          topic: "audience.segment",
          direction: "export",
          schema: {
            type: "object",
            required: ["segment", "size"],
            additionalProperties: false,
            properties: {
              segment: { type: "string", pattern: "^[a-z-]+$" },
              size: { type: "integer", minimum: 0 },
            },
          },
          redact: [],
          sign: false,
        },
      ],
      partners: [
        {
          name: "sms",
          category: "messaging",
          direction: "inbound",
          binding: `${ecosystem}-partner-sms`,
          consumes: [],
          produces: ["sms.status"],
          delivery: {
            maxAttempts: 3,
            backoffInitialMs: 100,
            backoffMaxMs: 500,
            bufferTtlMs: 60_000,
            timeoutMs: 5_000,
            circuitThreshold: 3,
          },
          rateLimit: { requestsPerSecond: 1_000, burst: 1_000 },
          auth: { type: "hmac", secretEnv: "SYMBIONT_PARTNER_SMS_SECRET" },
        },
        {
          name: "sso",
          category: "sso",
          direction: "inbound",
          binding: `${ecosystem}-partner-sso`,
          consumes: [],
          produces: ["sso.login"],
          delivery: {
            maxAttempts: 3,
            backoffInitialMs: 100,
            backoffMaxMs: 500,
            bufferTtlMs: 60_000,
            timeoutMs: 5_000,
            circuitThreshold: 3,
          },
          rateLimit: { requestsPerSecond: 1_000, burst: 1_000 },
          auth: { type: "basic", secretEnv: "SYMBIONT_PARTNER_SSO_CREDENTIALS" },
        },
        {
          name: "ads",
          category: "ads",
          direction: "both",
          binding: `${ecosystem}-partner-ads`,
          consumes: ["audience.segment"],
          produces: ["ads.click"],
          delivery: {
            maxAttempts: 3,
            backoffInitialMs: 100,
            backoffMaxMs: 500,
            bufferTtlMs: 60_000,
            timeoutMs: 5_000,
            circuitThreshold: 3,
          },
          rateLimit: { requestsPerSecond: 0.001, burst: 3 },
          auth: { type: "bearer", secretEnv: "SYMBIONT_PARTNER_ADS_TOKEN" },
        },
      ],
    });
    const resources = writeResources({
      dir,
      redisPort: redis.port,
      file,
      coreAppIds: [`${ecosystem}-analytics`],
      nonCoreAppIds: [],
      partnerUrls: { ads: sim.partnerUrl("ads") },
    });
    gateway = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
      env: {
        SYMBIONT_PARTNER_SMS_SECRET: secret,
        SYMBIONT_PARTNER_ADS_TOKEN: "ads-token",
        SYMBIONT_PARTNER_SSO_CREDENTIALS: "sso:pass",
      },
    });
    core = await startPublisher(`${ecosystem}-analytics`, resources, dir);
  });

  afterAll(async () => {
    await gateway?.stop();
    await core?.stop();
    await sim?.stop();
    await db?.stop();
    await redis?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  const cases = malformedCases();

  it(`when ${cases.length} malformed webhooks arrive, then each is refused with its own status and code and nothing is recorded`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    // Made again now: the signed ones carry the time they are sent at.
    const sent = malformedCases();
    const outcomes: Array<{ name: string; status: number; code: string }> = [];
    for (const c of sent) {
      const answer = await fetch(`${gateway.publicUrl}/inbound/${encodeURIComponent(c.partner)}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...c.headers },
        body: c.body,
      });
      const body = (await answer.json().catch(() => ({}))) as { error?: { code?: string } };
      outcomes.push({ name: c.name, status: answer.status, code: body.error?.code ?? "" });
    }
    expect(outcomes).toEqual(sent.map((c) => ({ name: c.name, status: c.status, code: c.code })));
    const entries = await gateway.admin.get<{ count: number }>(`/v1/ledger/entries?kind=inbound`);
    expect(entries.count).toBe(0);
  });

  it("when a partner exceeds its rate, then it gets 429 and a valid webhook still goes through before that; an unauthenticated flood first uses none of its rate", async () => {
    const body = JSON.stringify({ click: "c1" });
    // Rate limiting comes after authentication: forged calls cannot lock the partner out.
    const flood = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${gateway.publicUrl}/inbound/ads`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer forged" },
          body,
        }).then(async (answer) => {
          await answer.arrayBuffer();
          return answer.status;
        }),
      ),
    );
    expect(flood).toEqual(Array.from({ length: 10 }, () => 401));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await fetch(`${gateway.publicUrl}/inbound/ads`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: "Bearer ads-token",
          "idempotency-key": `click-${i}`,
        },
        body,
      });
      statuses.push(answer.status);
      if (answer.status === 429)
        expect(await answer.json()).toMatchObject({ error: { code: "RateLimited" } });
      else await answer.arrayBuffer();
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
  });

  it("when a valid signed webhook is sent again, re-signed, then it is published once and the answer says duplicate; sent again as captured, it is refused", async () => {
    const body = JSON.stringify({ messageRef: "r-ok", state: "delivered" });
    const send = (headers: Record<string, string>) =>
      fetch(`${gateway.publicUrl}/inbound/sms`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    const captured = signed(body, {}, { id: "status-ok-1" });
    const first = await send(captured);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({
      id: "status-ok-1",
      topic: "sms.status",
      duplicate: false,
    });
    const retry = await send(signed(body, {}, { id: "status-ok-1", at: Date.now() + 2_000 }));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({
      id: "status-ok-1",
      topic: "sms.status",
      duplicate: true,
    });
    const replay = await send(captured);
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ error: { code: "ReplayedWebhook" } });
  });

  it("when core modules publish 20 events that break the route's schema, then each is a dead letter with its error and none reaches the partner", async () => {
    const bad: unknown[] = [
      {},
      { segment: "x" },
      { size: 1 },
      { segment: "UPPER", size: 1 },
      { segment: "a", size: -1 },
      { segment: "a", size: 1.5 },
      { segment: "a", size: "1" },
      { segment: "a", size: 1, extra: 1 },
      [],
      "text",
      7,
      null,
      { segment: null, size: 1 },
      { segment: "a b", size: 1 },
      { segment: ["a"], size: 1 },
      { segment: "a", size: {} },
      { segment: "", size: 1 },
      { segment: "a", size: null },
      true,
      { segment: "ok", size: Number.POSITIVE_INFINITY },
    ];
    for (const [i, payload] of bad.entries())
      expect(
        await publish(core, file.internalPubsub, "audience.segment", payload, `bad-${i}`),
      ).toBe(204);
    // A text body that is not JSON at all, published raw.
    const raw = await fetch(`${core.url}/v1.0/publish/${file.internalPubsub}/audience.segment`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{segment: broken",
    });
    expect(raw.status).toBe(204);
    await publishSurely(
      core,
      file.internalPubsub,
      "audience.segment",
      { segment: "car-buyers", size: 1200 },
      "good-1",
    );
    const dead = await eventually(
      () =>
        gateway.admin.get<{
          count: number;
          deadLetters: Array<{ key: string; lastError: string; kind: string }>;
        }>(`/v1/deadletters?kind=export`),
      (r) => r.count === bad.length + 1,
      { what: "every invalid event recorded as a dead letter" },
    );
    for (const letter of dead.deadLetters) expect(letter.lastError).toMatch(/^schema violation: /);
    const delivered = await eventually(
      () =>
        getJson<{ unique: number; messages: Array<{ body: unknown }> }>(
          `${sim.adminUrl}/admin/partners/ads/received`,
        ),
      (r) => r.unique >= 1,
      { what: "the valid event reaches the partner" },
    );
    expect(delivered.messages.map((m) => m.body)).toEqual([{ segment: "car-buyers", size: 1200 }]);
    const audit = await gateway.admin.get<{
      ok: boolean;
      problems: string[];
      byState: Record<string, number>;
    }>(`/v1/ledger/audit`);
    expect(audit.problems).toEqual([]);
    expect(audit.byState["dead-lettered"]).toBe(bad.length + 1);
  });

  it("when a 300 KB event and one that is not a CloudEvent are published, then each is recorded as the gateway's dead letter with its reason and the messages behind them still arrive", async () => {
    const before = (await gateway.admin.get<{ count: number }>(`/v1/deadletters?kind=drop`)).count;
    expect(
      await publish(
        core,
        file.internalPubsub,
        "audience.segment",
        { segment: "huge", size: 1, pad: "x".repeat(300 * 1024) },
        "huge-1",
      ),
    ).toBe(204);
    // A CloudEvent whose id is a number: Dapr passes it on, the gateway cannot key it.
    const notEvent = await fetch(
      `${core.url}/v1.0/publish/${file.internalPubsub}/audience.segment`,
      {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: JSON.stringify({ specversion: "1.0", id: 42, source: "test", type: "x", data: {} }),
      },
    );
    expect(notEvent.status).toBe(204);
    await publishSurely(
      core,
      file.internalPubsub,
      "audience.segment",
      { segment: "behind-poison", size: 2 },
      "behind-1",
    );
    await eventually(
      () =>
        getJson<{ messages: Array<{ body: unknown }> }>(
          `${sim.adminUrl}/admin/partners/ads/received`,
        ),
      (r) => r.messages.some((m) => JSON.stringify(m.body).includes("behind-poison")),
      { what: "the message behind the poison messages delivered" },
    );
    const dead = await eventually(
      () =>
        gateway.admin.get<{
          count: number;
          deadLetters: Array<{ target: string; topic: string; lastError: string }>;
        }>(`/v1/deadletters?kind=drop`),
      (r) => r.count === before + 2,
      { what: "both poison messages recorded" },
    );
    const reasons = dead.deadLetters.map((d) => `${d.target} ${d.topic} ${d.lastError}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^${gatewayAppId(file)} audience.segment TooLarge: over the body limit of 262144 bytes`,
          ),
        ),
        expect.stringMatching(
          new RegExp(`^${gatewayAppId(file)} audience.segment NotACloudEvent: id: `),
        ),
      ]),
    );
    // Kept for inspection, never replayed.
    const replay = await gateway.admin.post<{ replayed: number }>(`/v1/deadletters/replay`, {
      kind: "drop",
    });
    expect(replay.replayed).toBe(0);
  });

  it("when a route's schema does not compile, then the gateway still serves every other route, and the skipped route's messages become dead letters with the compiler's message", async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^symbiont_gateway_routes_skipped\{route="legacy-out"\} 1$/m);
    expect(readFileSync(gateway.process.logFile, "utf8")).toMatch(
      /"route":"legacy-out".*route skipped: its schema does not compile/,
    );
    await publishSurely(core, file.internalPubsub, "legacy.segment", { any: 1 }, "legacy-1");
    await publishSurely(
      core,
      file.internalPubsub,
      "audience.segment",
      { segment: "after-skip", size: 3 },
      "good-2",
    );
    const dead = await eventually(
      () =>
        gateway.admin.get<{ deadLetters: Array<{ target: string; lastError: string }> }>(
          `/v1/deadletters?kind=export`,
        ),
      (r) => r.deadLetters.some((d) => d.target === "legacy-out"),
      { what: "the skipped route's message as a dead letter" },
    );
    expect(dead.deadLetters.find((d) => d.target === "legacy-out")?.lastError).toBe(
      'route legacy-out is skipped: its schema does not compile: strict mode: unknown keyword: "unevaluatedProperties"',
    );
    await eventually(
      () =>
        getJson<{ messages: Array<{ body: unknown }> }>(
          `${sim.adminUrl}/admin/partners/ads/received`,
        ),
      (r) => r.messages.some((m) => JSON.stringify(m.body).includes("after-skip")),
      { what: "the other route still delivers" },
    );
  });
});
