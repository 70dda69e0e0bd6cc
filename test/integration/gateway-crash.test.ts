import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GatewayFile } from "@symbiont/bus-gateway";
import { startPartnerSim, type PartnerSim, type ReceivedMessage } from "@symbiont/partner-sim";
import mongoose from "mongoose";
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
import { ledgerRecordModel } from "../../services/bus-gateway/src/data/ledger-record-model.js";
import { LedgerStore } from "../../services/bus-gateway/src/data/ledger-store.js";
import { Ledger } from "../../services/bus-gateway/src/domain/ledger.js";

// "Nothing is lost on a crash": the gateway SIGKILLed mid-stream and restarted, and the
// broker (Redis with an fsync'ed append-only file) killed and restarted mid-stream. The
// partner must end up with every message, each under one Idempotency-Key, and the ledger
// audit must account for every one.

interface Received {
  unique: number;
  messages: ReceivedMessage[];
}

describe("the bus gateway through crashes", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-crash-"));
  const ecosystem = uniqueEcosystem("cr");
  let redis: Redis;
  let db: FerretDb;
  let sim: PartnerSim;
  let gateway: RunningGateway;
  let core: Daprd;
  let file: GatewayFile;

  beforeAll(async () => {
    redis = await startRedis(dir, { persistent: true });
    db = await startLedgerDb(dir);
    sim = await startPartnerSim(
      { adminPort: 0, host: "127.0.0.1", partners: [{ name: "sms", kind: "sms", port: 0 }] },
      { logLevel: "silent" },
    );
    file = gatewayFile({
      ecosystem,
      routes: [
        {
          name: "sms-out",
          topic: "notification.sms",
          direction: "export",
          schema: { type: "object", required: ["run", "n"] },
          redact: [],
          sign: false,
        },
      ],
      partners: [
        {
          name: "sms",
          category: "messaging",
          direction: "outbound",
          binding: `${ecosystem}-partner-sms`,
          consumes: ["notification.sms"],
          produces: [],
          delivery: {
            maxAttempts: 20,
            backoffInitialMs: 200,
            backoffMaxMs: 1_000,
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
      coreAppIds: [`${ecosystem}-processes`],
      nonCoreAppIds: [],
      partnerUrls: { sms: sim.partnerUrl("sms") },
    });
    gateway = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
    });
    core = await startPublisher(`${ecosystem}-processes`, resources, dir);
  });

  afterAll(async () => {
    await gateway?.stop();
    await core?.stop();
    await sim?.stop();
    await db?.stop();
    await redis?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  async function expectAllArrived(run: string, total: number): Promise<void> {
    const got = await eventually(
      () => getJson<Received>(`${sim.adminUrl}/admin/partners/sms/received`),
      (r) =>
        new Set(
          r.messages
            .filter((m) => (m.body as { run?: string }).run === run)
            .map((m) => m.idempotencyKey),
        ).size >= total,
      { what: `all ${total} messages of ${run} at the partner`, timeoutMs: 120_000 },
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

  it("when the gateway is SIGKILLed mid-stream and restarted, then no message is lost", async () => {
    const total = 600;
    for (let n = 0; n < total; n++) {
      if (n === 200) gateway.kill();
      if (n === 400) await gateway.restart();
      await publishSurely(
        core,
        file.internalPubsub,
        "notification.sms",
        { run: "kill", n },
        `kill-${n}`,
      );
    }
    await expectAllArrived("kill", total);
  }, 300_000);

  it("when the broker is killed mid-stream and restarted with its append-only file, then no message is lost", async () => {
    const total = 600;
    for (let n = 0; n < total; n++) {
      if (n === 200) {
        redis.kill();
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        redis = await startRedis(dir, { persistent: true, port: redis.port, name: "redis-again" });
      }
      await publishSurely(
        core,
        file.internalPubsub,
        "notification.sms",
        { run: "broker", n },
        `broker-${n}`,
      );
    }
    await expectAllArrived("broker", total);
  }, 300_000);

  it("when the gateway restarts on a ledger of thousands of delivered entries, then its open entries are sent, an old message redelivered is not, and the audit adds up", async () => {
    const partnerKey = (id: string) => `partner:sms:notification.sms:${id}`;
    const deliveredToSms = async () =>
      (
        await gateway.admin.get<{ partners: Array<{ name: string; delivered: number }> }>(
          "/v1/partners",
        )
      ).partners.find((p) => p.name === "sms")?.delivered ?? 0;
    const deliveredBefore = await deliveredToSms();
    gateway.kill();
    // While it is down, the ledger grows as a gateway writes it: 3,000 delivered entries over
    // several segments and checkpoints, then three still waiting for the partner, and no
    // checkpoint after them (as after a SIGKILL).
    const connection = await mongoose.createConnection(`${db.uri}ledger`).asPromise();
    const ledger = new Ledger(new LedgerStore(ledgerRecordModel(connection)), {
      checkpointEvery: 1_000,
    });
    await ledger.load();
    const entry = (id: string, n: number) => ({
      messageId: id,
      kind: "partner" as const,
      target: "sms",
      topic: "notification.sms",
      pubsub: file.corporatePubsub,
      state: "accepted" as const,
      payload: JSON.stringify({ run: "startup", n }),
    });
    for (let start = 0; start < 3_000; start += 500) {
      const accepted = await ledger.accept(
        Array.from({ length: 500 }, (_, i) => entry(`old-${start + i}`, -1)),
      );
      await Promise.all(
        accepted.map((one) =>
          one === "duplicate" ? undefined : ledger.change(one, { state: "delivered", attempts: 1 }),
        ),
      );
    }
    await ledger.accept([0, 1, 2].map((n) => entry(`startup-${n}`, n)));
    await connection.close();

    await gateway.restart();
    // The waiting ones reach the partner (read back with their payloads)...
    await expectAllArrived("startup", 3);
    // ...an old one published again is recognised from the database and not sent again:
    // the partner gets the message after it and never it.
    await publishSurely(
      core,
      file.internalPubsub,
      "notification.sms",
      { run: "old", n: 0 },
      "old-42",
    );
    await publishSurely(
      core,
      file.internalPubsub,
      "notification.sms",
      { run: "after-old", n: 0 },
      "after-old-0",
    );
    await expectAllArrived("after-old", 1);
    const received = await getJson<Received>(`${sim.adminUrl}/admin/partners/sms/received`);
    expect(received.messages.filter((m) => (m.body as { run?: string }).run === "old")).toEqual([]);
    // The delivered history is still there for a trace.
    const traced = await gateway.admin.get<{ entries: Array<{ key: string; state: string }> }>(
      "/v1/ledger/entries?messageId=old-42",
    );
    expect(traced.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: partnerKey("old-42"), state: "delivered" }),
      ]),
    );
    // 3,000 read from the checkpoints and records, three sent now, and the one after.
    expect(await deliveredToSms()).toBe(deliveredBefore + 3_004);
  }, 300_000);
});
