import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPartnerSim, type PartnerSim, type ReceivedMessage } from "@symbiont/partner-sim";
import { canonicalJson, signPayload, type GatewayFile } from "@symbiont/bus-gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { runPartnerScenario } from "../../dev/demo/partner-scenario.js";
import { eventually } from "../support/kube.js";
import { auditOnceSettled } from "../support/ledger-audit.js";
import {
  gatewayFile,
  getJson,
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

// B2/B4 end to end with real daprd sidecars, a real Redis for both buses, a FerretDB ledger
// and a simulated partner behind a Dapr HTTP binding: a core module's event crosses to the
// corporate bus (validated, redacted, signed) and reaches the partner; a partner outage
// is buffered and replayed in order; a refused message becomes a visible, replayable dead letter.

interface Received {
  received: number;
  unique: number;
  duplicates: number;
  badSignatures: number;
  messages: ReceivedMessage[];
}

describe("the bus gateway delivering to a partner", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-delivery-"));
  const ecosystem = uniqueEcosystem("dl");
  const secret = "partner-sms-secret";
  const signingKey = "ecosystem-signing-key";
  let redis: Redis;
  let db: FerretDb;
  let sim: PartnerSim;
  let gateway: RunningGateway;
  let core: Daprd;
  let outside: Daprd;
  let file: GatewayFile;

  beforeAll(async () => {
    redis = await startRedis(dir);
    db = await startLedgerDb(dir);
    sim = await startPartnerSim(
      {
        adminPort: 0,
        host: "127.0.0.1",
        partners: [
          { name: "sms", kind: "sms", port: 0, secret },
          { name: "pay", kind: "acquirer", port: 0 },
        ],
      },
      { logLevel: "silent" },
    );
    file = gatewayFile({
      ecosystem,
      signing: { keyEnv: "SYMBIONT_SIGNING_KEY" },
      routes: [
        {
          name: "reminders-out",
          topic: "notification.sms",
          direction: "export",
          schema: {
            type: "object",
            required: ["to", "text", "n"],
            properties: {
              to: { type: "string" },
              text: { type: "string" },
              n: { type: "integer" },
            },
          },
          redact: [
            { path: "$.customer.email", action: "remove" },
            { path: "$.to", action: "mask" },
          ],
          sign: true,
        },
      ],
      partners: [
        {
          name: "sms",
          category: "messaging",
          direction: "both",
          binding: `${ecosystem}-partner-sms`,
          consumes: ["notification.sms"],
          produces: ["sms.status"],
          delivery: {
            maxAttempts: 5,
            backoffInitialMs: 250,
            backoffMaxMs: 2_000,
            bufferTtlMs: 600_000,
            timeoutMs: 5_000,
            circuitThreshold: 3,
          },
          rateLimit: { requestsPerSecond: 50, burst: 100 },
          auth: { type: "hmac", secretEnv: "SYMBIONT_PARTNER_SMS_SECRET" },
        },
        {
          name: "pay",
          category: "acquiring",
          direction: "outbound",
          binding: `${ecosystem}-partner-pay`,
          consumes: ["payment.requested"],
          produces: [],
          delivery: {
            maxAttempts: 3,
            backoffInitialMs: 100,
            backoffMaxMs: 400,
            bufferTtlMs: 600_000,
            timeoutMs: 5_000,
            circuitThreshold: 3,
          },
          rateLimit: { requestsPerSecond: 50, burst: 100 },
          auth: { type: "none" },
        },
      ],
    });
    const resources = writeResources({
      dir,
      redisPort: redis.port,
      file,
      coreAppIds: [`${ecosystem}-crm`],
      nonCoreAppIds: [`${ecosystem}-site`],
      partnerUrls: { sms: sim.partnerUrl("sms"), pay: sim.partnerUrl("pay") },
      concurrency: 1,
    });
    gateway = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
      env: { SYMBIONT_SIGNING_KEY: signingKey, SYMBIONT_PARTNER_SMS_SECRET: secret },
    });
    core = await startPublisher(`${ecosystem}-crm`, resources, dir);
    outside = await startPublisher(`${ecosystem}-site`, resources, dir);
  });

  afterAll(async () => {
    await gateway?.stop();
    await core?.stop();
    await outside?.stop();
    await sim?.stop();
    await db?.stop();
    await redis?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  const received = (partner: string) =>
    getJson<Received>(`${sim.adminUrl}/admin/partners/${partner}/received`);
  const setMode = async (partner: string, mode: object) => {
    const answer = await fetch(`${sim.adminUrl}/admin/partners/${partner}/mode`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(mode),
    });
    expect(answer.status).toBe(200);
  };

  /** Takes the sms partner down (its record cleared), then publishes `total` numbered messages. */
  const publishWhileSmsIsDown = async (total: number, idPrefix: string) => {
    await fetch(`${sim.adminUrl}/admin/partners/sms/received`, { method: "DELETE" });
    await setMode("sms", { mode: "down" });
    for (let n = 0; n < total; n++)
      await publishSurely(
        core,
        file.internalPubsub,
        "notification.sms",
        { to: "+15550001234", text: `${idPrefix} ${n}`, n },
        `${idPrefix}-${n}`,
      );
  };

  it("when a core module publishes an exported event, then the partner receives it redacted, signed and with its Idempotency-Key", async () => {
    await publishSurely(
      core,
      file.internalPubsub,
      "notification.sms",
      {
        to: "+15550001234",
        text: "your meeting is at 10",
        n: -1,
        customer: { email: "ann@example.com", name: "Ann" },
      },
      "first-1",
    );
    const got = await eventually(
      () => received("sms"),
      (r) => r.received >= 1,
      { what: "the partner receives the first message" },
    );
    const message = got.messages[0]!;
    expect(message.idempotencyKey).toBe("first-1");
    expect(message.topic).toBe("notification.sms");
    expect(message.body).toEqual({
      to: "**********34",
      text: "your meeting is at 10",
      n: -1,
      customer: { name: "Ann" },
    });
    expect(message.signatureValid).toBe(true);
    // The partner holds the message a moment before its delivery record is durable.
    const ledger = await eventually(
      () =>
        gateway.admin.get<{ entries: Array<{ key: string; state: string }> }>(`/v1/ledger/entries`),
      (r) => r.entries.every((entry) => entry.state === "delivered"),
      { what: "the deliveries recorded in the ledger" },
    );
    expect(ledger.entries.map((entry) => [entry.key, entry.state])).toEqual([
      [`export:reminders-out:notification.sms:first-1`, "delivered"],
      [`partner:sms:notification.sms:first-1`, "delivered"],
    ]);
    expect(signPayload(canonicalJson(message.body), signingKey)).toMatch(/^sha256=/);
  });

  it("when the partner is down for 60 s while 1,000 messages flow, then all are buffered and delivered in order, none lost, none twice", async () => {
    const downAt = Date.now();
    const total = 1_000;
    await publishWhileSmsIsDown(total, "outage");
    const buffered = await eventually(
      () =>
        gateway.admin.get<{
          partners: Array<{
            name: string;
            buffered: number;
            retrying: number;
            accepted: number;
            circuit: string;
          }>;
        }>(`/v1/partners`),
      (r) => {
        const sms = r.partners.find((p) => p.name === "sms")!;
        return sms.circuit === "open" && sms.buffered + sms.retrying === total;
      },
      { what: "all 1,000 messages buffered while the partner is down", timeoutMs: 60_000 },
    );
    expect(buffered.partners.find((p) => p.name === "sms")!.buffered).toBeGreaterThanOrEqual(
      total - 1,
    );
    expect((await received("sms")).received).toBe(0);
    // Keep the partner away for the full minute, then bring it back.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, 60_000 - (Date.now() - downAt))),
    );
    await setMode("sms", { mode: "ok" });
    const after = await eventually(
      () => received("sms"),
      (r) => r.unique >= total,
      { what: "all messages delivered after recovery", timeoutMs: 120_000 },
    );
    const unique = after.messages.filter((message) => !message.duplicate);
    const order = unique.map((message) => (message.body as { n: number }).n);
    expect(order).toEqual(Array.from({ length: total }, (_, n) => n));
    expect(new Set(unique.map((message) => message.idempotencyKey)).size).toBe(total);
    expect(after.badSignatures).toBe(0);
    const audit = await auditOnceSettled(gateway.admin);
    expect(audit.problems).toEqual([]);
    expect(audit).toMatchObject({ ok: true, pending: 0 });
    expect(audit.byState["dead-lettered"]).toBe(0);
  }, 300_000);

  it("when the gateway's sidecar is killed while a backlog is replayed, then the calls resume over a new connection once it is back: none lost, none twice, every signature good", async () => {
    const total = 200;
    await publishWhileSmsIsDown(total, "sidecar");
    await eventually(
      () =>
        gateway.admin.get<{ partners: Array<{ name: string; buffered: number }> }>(`/v1/partners`),
      (r) => r.partners.find((p) => p.name === "sms")!.buffered === total,
      { what: "the backlog buffered while the partner is down", timeoutMs: 60_000 },
    );
    await setMode("sms", { mode: "ok" });
    // The replay is under way: the binding calls' connection goes with the sidecar.
    await eventually(
      () => received("sms"),
      (r) => r.unique >= 10,
      { what: "the replay started", timeoutMs: 60_000 },
    );
    gateway.killSidecar();
    const cut = (await received("sms")).unique;
    await gateway.restartSidecar();
    const after = await eventually(
      () => received("sms"),
      (r) => r.unique >= total,
      { what: "the whole backlog delivered after the sidecar came back", timeoutMs: 120_000 },
    );
    expect(cut).toBeLessThan(total);
    const unique = after.messages.filter((message) => !message.duplicate);
    expect(unique.map((message) => (message.body as { n: number }).n)).toEqual(
      Array.from({ length: total }, (_, n) => n),
    );
    expect(after.badSignatures).toBe(0);
    const audit = await auditOnceSettled(gateway.admin);
    expect(audit.problems).toEqual([]);
    expect(audit).toMatchObject({ ok: true, pending: 0 });
  }, 300_000);

  it("when the partner refuses a message, then it becomes a dead letter that can be listed and replayed", async () => {
    await setMode("pay", { mode: "reject", status: 422 });
    await publishSurely(
      outside,
      file.corporatePubsub,
      "payment.requested",
      { amount: 1250, currency: "EUR", order: "o-77" },
      "pay-77",
    );
    const dead = await eventually(
      () =>
        gateway.admin.get<{
          count: number;
          deadLetters: Array<{ key: string; attempts: number; lastError: string }>;
        }>(`/v1/deadletters?partner=pay`),
      (r) => r.count === 1,
      { what: "the refused payment listed as a dead letter" },
    );
    expect(dead.deadLetters[0]).toMatchObject({
      key: "partner:pay:payment.requested:pay-77",
      attempts: 3,
      lastError: expect.stringMatching(/HTTP 422; 3 attempts/),
    });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/symbiont_gateway_dead_letters_total\{kind="partner",target="pay"\} 1/);
    // Each of the three refused attempts is timed, by partner and outcome.
    expect(metrics).toMatch(
      /symbiont_gateway_partner_delivery_seconds_count\{partner="pay",outcome="rejected"\} 3/,
    );
    await setMode("pay", { mode: "ok" });
    const replay = await gateway.admin.post(`/v1/deadletters/replay`, { partner: "pay" });
    expect(replay).toMatchObject({
      replayed: 1,
      results: [{ key: "partner:pay:payment.requested:pay-77", result: "requeued" }],
    });
    const got = await eventually(
      () => received("pay"),
      (r) => r.unique === 1,
      { what: "the replayed payment arrives" },
    );
    expect(got.messages[0]).toMatchObject({
      idempotencyKey: "pay-77",
      body: { amount: 1250, currency: "EUR", order: "o-77" },
    });
    expect((await gateway.admin.get<{ count: number }>(`/v1/deadletters?partner=pay`)).count).toBe(
      0,
    );
  });

  it("when the demo's partner scenario runs, then it shows a delivery, the outage buffered and the replay in order", async () => {
    const lines: string[] = [];
    await runPartnerScenario({
      publish: (topic, payload) =>
        publishSurely(core, file.internalPubsub, topic, payload, randomUUID()),
      partnerSimUrl: sim.adminUrl,
      gatewayAdmin: gateway.admin,
      log: (line) => lines.push(line),
      partner: "sms",
      payload: (n) => ({ to: "+15550001234", text: `demo ${n}`, n }),
    });
    expect(lines.join("\n")).toMatch(/the partner received it/);
    expect(lines.join("\n")).toMatch(/circuit open, \d+ buffered/);
    expect(lines.join("\n")).toMatch(/replayed in order: 0, 1, 2, 3, 4, 5;/);
  });
});
