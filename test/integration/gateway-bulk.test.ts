import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPartnerSim, type PartnerSim } from "@symbiont/partner-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { stopPid } from "../../dev/harness/managed-process.js";
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

// Issue "line rate": with unordered delivery the operator gives the gateway's Subscriptions
// Dapr's bulk subscribe. Real daprd hands the gateway several messages per call; each entry is
// answered on its own and their ledger records share one write. What the partner sees must
// not change: every message once, poison recorded, the ledger's audit clean.

describe("the bus gateway taking bulk deliveries", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-bulk-"));
  const ecosystem = uniqueEcosystem("bk");
  const messages = 300;
  let redis: Redis;
  let db: FerretDb;
  let sim: PartnerSim;
  let gateway: RunningGateway;
  let outside: Daprd;
  let core: Daprd;
  const file = gatewayFile({
    ecosystem,
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
          maxAttempts: 5,
          backoffInitialMs: 250,
          backoffMaxMs: 2_000,
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
      // The operator's Redis consumer workers for an unordered bus: enough to fill a delivery.
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

  it("when hundreds of messages (half of them crossing from the core) and a non-CloudEvent arrive together, then they come in bulk deliveries, the partner gets each once and the poison is recorded", async () => {
    const ids = Array.from({ length: messages }, (_, i) => `bulk-${i}`);
    for (let i = 0; i < ids.length; i += 30)
      await Promise.all(
        ids
          .slice(i, i + 30)
          .map((id, j) =>
            j % 2 === 0
              ? publishSurely(outside, file.corporatePubsub, "sms.send", { to: "+1555", id }, id)
              : publishSurely(core, file.internalPubsub, "sms.send", { to: "+1555", id }, id),
          ),
      );
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

    const received = await eventually(
      () =>
        getJson<{ unique: number; duplicates: number }>(
          `${sim.adminUrl}/admin/partners/sms/received`,
        ),
      (r) => r.unique >= messages,
      { what: `the partner receives ${messages} messages`, timeoutMs: 180_000 },
    );
    expect(received).toMatchObject({ unique: messages, duplicates: 0 });

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

    // Every message came in a bulk delivery, and at least one carried several.
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const deliveries = sampleOf(metrics, "symbiont_gateway_bulk_delivery_entries_count");
    const entries = sampleOf(metrics, "symbiont_gateway_bulk_delivery_entries_sum");
    // Each crossing message is taken twice: from the internal bus, then for the partner.
    expect(entries).toBeGreaterThanOrEqual(messages + messages / 2 + 1);
    expect(deliveries).toBeLessThan(entries);

    // The crossing ones went to the corporate bus in bulk publishes (the sidecar's metrics).
    const sidecar = await (
      await fetch(`http://127.0.0.1:${gateway.daprd.metricsPort}/metrics`)
    ).text();
    const bulkPublishes = [
      ...sidecar.matchAll(
        /^dapr_component_pubsub_egress_bulk_count\{[^}]*success="true"[^}]*\} (\d+)/gm,
      ),
    ].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(bulkPublishes).toBeGreaterThan(0);

    const audit = await gateway.admin.get<{ ok: boolean }>(`/v1/ledger/audit`);
    expect(audit.ok).toBe(true);
  });

  it("when messages pile up while the gateway is down, then it takes them in deliveries of more than ten (the sidecar has a worker for each), and the partner gets each once", async () => {
    // Dapr's bulk subscriber holds each message's Redis worker until its delivery is answered:
    // with the tuned 10 workers no delivery could carry more than 10 messages.
    const before = await getJson<{ unique: number }>(`${sim.adminUrl}/admin/partners/sms/received`);
    await stopPid(gateway.process.pid);
    const ids = Array.from({ length: messages }, (_, i) => `backlog-${i}`);
    for (let i = 0; i < ids.length; i += 30)
      await Promise.all(
        ids
          .slice(i, i + 30)
          .map((id) =>
            publishSurely(outside, file.corporatePubsub, "sms.send", { to: "+1555", id }, id),
          ),
      );
    await gateway.restart();

    const received = await eventually(
      () =>
        getJson<{ unique: number; duplicates: number }>(
          `${sim.adminUrl}/admin/partners/sms/received`,
        ),
      (r) => r.unique >= before.unique + messages,
      { what: `the partner receives the ${messages} messages of the backlog`, timeoutMs: 180_000 },
    );
    expect(received).toMatchObject({ unique: before.unique + messages, duplicates: 0 });

    // The restarted process's own histogram: deliveries above the bucket of 10 entries.
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const deliveries = sampleOf(metrics, "symbiont_gateway_bulk_delivery_entries_count");
    const upToTen = sampleOf(metrics, "symbiont_gateway_bulk_delivery_entries_bucket", 'le="10",');
    expect(sampleOf(metrics, "symbiont_gateway_bulk_delivery_entries_sum")).toBe(messages);
    expect(deliveries - upToTen).toBeGreaterThan(0);

    const audit = await gateway.admin.get<{ ok: boolean }>(`/v1/ledger/audit`);
    expect(audit.ok).toBe(true);
  });
});

/** A sample of the sms.send series in a /metrics text (`labels`: others before the topic). */
function sampleOf(metrics: string, name: string, labels = ""): number {
  return Number(
    new RegExp(`^${name}\\{${labels}topic="sms.send"\\} (\\d+)`, "m").exec(metrics)?.[1] ?? "NaN",
  );
}
