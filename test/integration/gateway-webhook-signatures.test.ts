import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { GatewayFile } from "@symbiont/bus-gateway";
import { webhookSignatureHeaders } from "@symbiont/contracts";
import { startPartnerSim, type PartnerSim, type ReceivedMessage } from "@symbiont/partner-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { eventually } from "../support/kube.js";
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

// Issue 9, webhooks: signatures over id, timestamp, topic and body, both ways, on the real
// gateway (daprd, Redis for both buses, a FerretDB ledger) and partner-sim. A captured webhook
// sent again and a stale one are refused, and nothing reaches the corporate bus or the ledger;
// during a key rotation the previous key is still accepted; partner-sim accepts the gateway's
// signed deliveries and refuses a replayed or tampered copy.

const currentKey = "sms-key-2026-12";
const previousKey = "sms-key-2026-06";

interface Received {
  received: number;
  unique: number;
  badSignatures: number;
  refused: number;
  messages: ReceivedMessage[];
}

describe("webhook signatures between the bus gateway and a partner", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-webhooks-"));
  const ecosystem = uniqueEcosystem("wh");
  let redis: Redis;
  let db: FerretDb;
  let sim: PartnerSim;
  let gateway: RunningGateway;
  let site: Daprd;
  let file: GatewayFile;

  const webhook = (
    id: string,
    options: { key?: string; at?: number; body?: string } = {},
  ): { headers: Record<string, string>; body: string } => {
    const body = options.body ?? JSON.stringify({ messageRef: id, state: "delivered" });
    return {
      body,
      headers: {
        "content-type": "application/json",
        "x-symbiont-topic": "sms.status",
        ...webhookSignatureHeaders(
          { id, topic: "sms.status", body },
          options.key ?? currentKey,
          options.at,
        ),
      },
    };
  };
  const send = async (request: { headers: Record<string, string>; body: string }) => {
    const answer = await fetch(`${gateway.publicUrl}/inbound/sms`, {
      method: "POST",
      ...request,
    });
    return {
      status: answer.status,
      body: (await answer.json()) as { error?: { code: string; message: string } },
    };
  };
  /** What reached the corporate bus on sms.status: the Redis stream's CloudEvent ids. */
  const published = async (): Promise<string[]> => {
    const { stdout } = await promisify(execFile)("redis-cli", [
      "-p",
      String(redis.port),
      "-n",
      "1",
      "--raw",
      "XRANGE",
      "sms.status",
      "-",
      "+",
    ]);
    // --raw prints each entry's id, then its fields and values one a line: the CloudEvent is
    // the JSON value with a specversion (Dapr keeps its metadata in another field).
    return stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { id?: string; specversion?: string })
      .filter((value) => value.specversion !== undefined)
      .map((event) => event.id!);
  };
  const ledgerIds = async (): Promise<string[]> => {
    const ledger = await gateway.admin.get<{ entries: Array<{ messageId: string }> }>(
      "/v1/ledger/entries?kind=inbound",
    );
    return ledger.entries.map((entry) => entry.messageId).sort();
  };
  const received = () => getJson<Received>(`${sim.adminUrl}/admin/partners/sms/received`);

  beforeAll(async () => {
    redis = await startRedis(dir);
    db = await startLedgerDb(dir);
    sim = await startPartnerSim(
      {
        adminPort: 0,
        host: "127.0.0.1",
        partners: [{ name: "sms", kind: "sms", port: 0, secret: currentKey }],
      },
      { logLevel: "silent" },
    );
    file = gatewayFile({
      ecosystem,
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
            backoffMaxMs: 1_000,
            bufferTtlMs: 600_000,
            timeoutMs: 5_000,
            circuitThreshold: 3,
          },
          rateLimit: { requestsPerSecond: 1_000, burst: 1_000 },
          auth: {
            type: "hmac",
            secretEnv: "SYMBIONT_PARTNER_SMS_SECRET",
            previousSecretEnv: "SYMBIONT_PARTNER_SMS_SECRET_PREVIOUS",
            toleranceMs: 300_000,
          },
        },
      ],
    });
    const resources = writeResources({
      dir,
      redisPort: redis.port,
      file,
      coreAppIds: [],
      nonCoreAppIds: [`${ecosystem}-site`],
      partnerUrls: { sms: sim.partnerUrl("sms") },
    });
    gateway = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
      env: {
        SYMBIONT_PARTNER_SMS_SECRET: currentKey,
        SYMBIONT_PARTNER_SMS_SECRET_PREVIOUS: previousKey,
      },
    });
    site = await startPublisher(`${ecosystem}-site`, resources, dir);
  });

  afterAll(async () => {
    await gateway?.stop();
    await site?.stop();
    await sim?.stop();
    await db?.stop();
    await redis?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  it("when a captured webhook is sent again, then the replay is refused 409 and the status is published once", async () => {
    const captured = webhook("status-1");
    expect(await send(captured)).toMatchObject({ status: 202 });
    const replay = await send(captured);
    expect(replay.status).toBe(409);
    expect(replay.body.error).toMatchObject({ code: "ReplayedWebhook" });
    expect(replay.body.error?.message).toContain("status-1");
    // The same body under a new Idempotency-Key is the same signed webhook-id: refused too.
    const renamed = await send({
      ...captured,
      headers: { ...captured.headers, "idempotency-key": "status-1-again" },
    });
    expect(renamed.status).toBe(409);
    expect(await published()).toEqual(["status-1"]);
    expect(await ledgerIds()).toEqual(["status-1"]);
  });

  it("when a webhook signed longer ago than the tolerance arrives, then it is refused 401 and nothing is published or recorded", async () => {
    const stale = await send(webhook("status-stale", { at: Date.now() - 6 * 60_000 }));
    expect(stale.status).toBe(401);
    expect(stale.body.error).toMatchObject({ code: "StaleTimestamp" });
    const future = await send(webhook("status-future", { at: Date.now() + 6 * 60_000 }));
    expect(future.status).toBe(401);
    expect(future.body.error).toMatchObject({ code: "FutureTimestamp" });
    expect(await published()).toEqual(["status-1"]);
    expect(await ledgerIds()).toEqual(["status-1"]);
  });

  it("when a captured webhook is sent with a changed body, then the signature fails and nothing is published", async () => {
    const captured = webhook("status-2");
    const tampered = await send({
      ...captured,
      body: JSON.stringify({ messageRef: "status-2", state: "failed" }),
    });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error).toMatchObject({ code: "BadSignature" });
    expect(await ledgerIds()).toEqual(["status-1"]);
  });

  it("when the key is being rotated, then webhooks signed with the previous key are accepted and an unknown key is refused", async () => {
    expect(await send(webhook("status-old-key", { key: previousKey }))).toMatchObject({
      status: 202,
    });
    const unknown = await send(webhook("status-unknown-key", { key: "sms-key-2025" }));
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toMatchObject({ code: "BadSignature" });
    expect(await published()).toEqual(["status-1", "status-old-key"]);
    expect(await ledgerIds()).toEqual(["status-1", "status-old-key"]);
  });

  it("when the gateway delivers to the partner, then partner-sim accepts its signature, and refuses the captured delivery sent again or tampered with", async () => {
    await publishSurely(
      site,
      file.corporatePubsub,
      "notification.sms",
      { to: "+15550001234", text: "your meeting is at 10" },
      "reminder-1",
    );
    const got = await eventually(received, (r) => r.unique >= 1, {
      what: "the partner receives the signed delivery",
    });
    const delivery = got.messages[0]!;
    expect(delivery).toMatchObject({
      idempotencyKey: "reminder-1",
      topic: "notification.sms",
      signatureValid: true,
      webhook: { id: "reminder-1" },
    });
    expect(delivery.webhook?.signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const headers = {
      "content-type": "application/json",
      "idempotency-key": delivery.idempotencyKey!,
      "x-symbiont-topic": delivery.topic!,
      "webhook-id": delivery.webhook!.id,
      "webhook-timestamp": delivery.webhook!.timestamp,
      "webhook-signature": delivery.webhook!.signature,
    };
    const post = async (body: string) => {
      const answer = await fetch(sim.partnerUrl("sms"), { method: "POST", headers, body });
      await answer.arrayBuffer();
      return answer.status;
    };
    expect(await post(JSON.stringify(delivery.body))).toBe(409);
    expect(
      await post(JSON.stringify({ to: "+15550001234", text: "your meeting is cancelled" })),
    ).toBe(401);
    const after = await received();
    expect(after).toMatchObject({ received: 1, unique: 1, badSignatures: 2 });
  });
});
