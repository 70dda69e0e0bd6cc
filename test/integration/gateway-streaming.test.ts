import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPartnerSim, type PartnerSim, type ReceivedMessage } from "@symbiont/partner-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
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

// Issue "line rate": gateway.intake streaming. The gateway opens a streaming subscription per
// topic to its own sidecar (no Subscription, no HTTP call from the sidecar) and takes as many
// messages at once as the bus's consumers hold. What the partner sees must not change: every
// message once, poison recorded, the ledger's audit clean; and nothing is lost when the
// gateway or its sidecar dies mid-stream (the streams are opened again).

interface Received {
  unique: number;
  duplicates: number;
  messages: ReceivedMessage[];
}

interface SidecarMetadata {
  subscriptions?: Array<{ pubsubname: string; topic: string; type?: string }>;
}

describe("the bus gateway taking streaming subscriptions", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-stream-"));
  const ecosystem = uniqueEcosystem("st");
  let redis: Redis;
  let db: FerretDb;
  let sim: PartnerSim;
  let gateway: RunningGateway;
  let outside: Daprd;
  let core: Daprd;
  const file = gatewayFile({
    ecosystem,
    intake: "streaming",
    // Half the messages come from a core module and cross the buses first.
    routes: [{ name: "sms-out", topic: "sms.send", direction: "export", redact: [], sign: false }],
    partners: [
      {
        name: "sms",
        category: "messaging",
        direction: "outbound",
        binding: `${ecosystem}-partner-sms`,
        consumes: ["sms.send"],
        produces: [],
        delivery: {
          maxAttempts: 20,
          backoffInitialMs: 200,
          backoffMaxMs: 1_000,
          bufferTtlMs: 600_000,
          timeoutMs: 5_000,
          circuitThreshold: 3,
        },
        rateLimit: { requestsPerSecond: 1_000, burst: 1_000 },
        auth: { type: "none" },
      },
    ],
  });

  beforeAll(async () => {
    redis = await startRedis(dir);
    db = await startLedgerDb(dir);
    sim = await startPartnerSim(
      { adminPort: 0, host: "127.0.0.1", partners: [{ name: "sms", kind: "sms", port: 0 }] },
      { logLevel: "silent" },
    );
    const resources = writeResources({
      dir,
      redisPort: redis.port,
      file,
      coreAppIds: [`${ecosystem}-crm`],
      nonCoreAppIds: [`${ecosystem}-site`],
      partnerUrls: { sms: sim.partnerUrl("sms") },
      concurrency: 10,
      ordered: false,
    });
    gateway = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
    });
    outside = await startPublisher(`${ecosystem}-site`, resources, dir);
    core = await startPublisher(`${ecosystem}-crm`, resources, dir);
  });

  afterAll(async () => {
    await gateway?.stop();
    await outside?.stop();
    await core?.stop();
    await sim?.stop();
    await db?.stop();
    await redis?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  /** Publishes `total` messages of a run, half from outside and half crossing from the core. */
  async function publishRun(run: string, total: number, during?: (n: number) => Promise<void>) {
    for (let n = 0; n < total; n += 10) {
      await during?.(n);
      await Promise.all(
        Array.from({ length: Math.min(10, total - n) }, (_, j) => {
          const i = n + j;
          const id = `${run}-${i}`;
          return i % 2 === 0
            ? publishSurely(outside, file.corporatePubsub, "sms.send", { run, n: i }, id)
            : publishSurely(core, file.internalPubsub, "sms.send", { run, n: i }, id);
        }),
      );
    }
  }

  async function expectAllArrived(run: string, total: number): Promise<void> {
    const got = await eventually(
      () => getJson<Received>(`${sim.adminUrl}/admin/partners/sms/received`),
      (r) =>
        new Set(
          r.messages
            .filter((m) => (m.body as { run?: string }).run === run)
            .map((m) => m.idempotencyKey),
        ).size >= total,
      { what: `all ${total} messages of ${run} at the partner`, timeoutMs: 180_000 },
    );
    const mine = got.messages.filter(
      (m) => (m.body as { run?: string }).run === run && !m.duplicate,
    );
    const numbers = mine.map((m) => (m.body as { n: number }).n).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: total }, (_, n) => n));
    // Each message arrived under exactly one key: no message was re-sent as a new one.
    expect(new Set(mine.map((m) => m.idempotencyKey)).size).toBe(total);
    const audit = await auditOnceSettled(gateway.admin);
    expect(audit.problems).toEqual([]);
    expect(audit.pending).toBe(0);
  }

  it("when hundreds of messages (half of them crossing from the core) and a non-CloudEvent arrive together, then they come over the sidecar's streams, the partner gets each once and the poison is recorded", async () => {
    // The sidecar holds streaming subscriptions for the gateway's topics, Subscriptions only
    // for their dead letters.
    const metadata = await getJson<SidecarMetadata>(`${gateway.daprd.url}/v1.0/metadata`);
    const kinds = (metadata.subscriptions ?? [])
      .map((s) => `${s.pubsubname} ${s.topic} ${s.type}`)
      .sort();
    const deadLetters = `sms.send.${ecosystem}-bus-gateway.deadletter`;
    expect(kinds).toEqual([
      `${file.corporatePubsub} sms.send STREAMING`,
      `${file.corporatePubsub} ${deadLetters} DECLARATIVE`,
      `${file.internalPubsub} sms.send STREAMING`,
      `${file.internalPubsub} ${deadLetters} DECLARATIVE`,
    ]);

    await publishRun("together", 300);
    // Published raw: the gateway gets a JSON object that is not a CloudEvent.
    const raw = await fetch(
      `${outside.url}/v1.0/publish/${file.corporatePubsub}/sms.send?metadata.rawPayload=true`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ not: "a cloud event" }),
      },
    );
    expect(raw.status).toBe(204);
    await expectAllArrived("together", 300);

    const drops = await eventually(
      () =>
        gateway.admin.get<{ count: number; deadLetters: Array<{ lastError: string }> }>(
          `/v1/deadletters?kind=drop`,
        ),
      (r) => r.count >= 1,
      { what: "the non-CloudEvent recorded as a dead letter" },
    );
    expect(drops.deadLetters).toEqual([
      expect.objectContaining({ lastError: expect.stringMatching(/^NotACloudEvent: id: /) }),
    ]);

    // Nothing came over HTTP from the sidecar; every message was taken (crossing ones twice:
    // from the internal bus, then for the partner).
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).not.toMatch(/^symbiont_gateway_bulk_delivery_entries_count\{/m);
    const taken = [
      ...metrics.matchAll(/^symbiont_gateway_messages_total\{[^}]*topic="sms.send"[^}]*\} (\d+)/gm),
    ].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(taken).toBeGreaterThanOrEqual(300 + 150 + 1);
  }, 300_000);

  it("when the gateway's sidecar is SIGKILLed mid-stream and restarted, then the gateway opens its streams again and no message is lost", async () => {
    await publishRun("sidecar", 300, async (n) => {
      if (n === 100) gateway.killSidecar();
      if (n === 200) await gateway.restartSidecar();
    });
    await expectAllArrived("sidecar", 300);
  }, 300_000);

  it("when the gateway is SIGKILLed mid-stream and restarted, then no message is lost", async () => {
    await publishRun("kill", 300, async (n) => {
      if (n === 100) gateway.kill();
      if (n === 200) await gateway.restart();
    });
    await expectAllArrived("kill", 300);
  }, 300_000);
});
