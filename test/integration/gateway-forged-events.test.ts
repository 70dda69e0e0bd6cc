import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

// B1/A4: the gateway's delivery endpoint (`/events/<topic>`) is reachable by anyone on its
// app port, so a forged CloudEvent naming the corporate bus would go to a partner (or one
// naming the internal bus into the core) with no signature check. Deliveries are taken only
// with the token the gateway's own daprd presents (Dapr's app API token): forged posts are
// refused and leave nothing in the ledger nor at the partner, while the real sidecar's
// deliveries still arrive.

interface Entries {
  count: number;
  entries: Array<{ key: string; kind: string; target: string }>;
}

describe("deliveries to the gateway that do not come from its sidecar", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-forged-"));
  const ecosystem = uniqueEcosystem("fg");
  let redis: Redis;
  let db: FerretDb;
  let sim: PartnerSim;
  let gateway: RunningGateway;
  let site: Daprd;
  const file = gatewayFile({
    ecosystem,
    partners: [
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
  const forged = (id: string, pubsubname: string) => ({
    specversion: "1.0",
    id,
    source: "attacker",
    type: "payment.requested",
    datacontenttype: "application/json",
    pubsubname,
    topic: "payment.requested",
    data: { orderId: id, amount: 1_000_000 },
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/events/payment.requested`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json", ...headers },
      body: JSON.stringify(body),
    });
  const received = () =>
    getJson<{ received: number; messages: ReceivedMessage[] }>(
      `${sim.adminUrl}/admin/partners/pay/received`,
    );

  beforeAll(async () => {
    redis = await startRedis(dir);
    db = await startLedgerDb(dir);
    sim = await startPartnerSim(
      {
        adminPort: 0,
        host: "127.0.0.1",
        partners: [{ name: "pay", kind: "acquirer", port: 0 }],
      },
      { logLevel: "silent" },
    );
    const resources = writeResources({
      dir,
      redisPort: redis.port,
      file,
      coreAppIds: [],
      nonCoreAppIds: [`${ecosystem}-site`],
      partnerUrls: { pay: sim.partnerUrl("pay") },
    });
    gateway = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
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

  it("when a CloudEvent is posted to /events without the sidecar's token, or with a wrong one, then it is refused with 401 and nothing is stored or delivered", async () => {
    const attempts = [
      post(forged("forged-none", file.corporatePubsub)),
      post(forged("forged-internal", file.internalPubsub)),
      post(forged("forged-wrong", file.corporatePubsub), {
        "dapr-api-token": "not-the-sidecars-token",
      }),
      post(forged("forged-empty", file.corporatePubsub), { "dapr-api-token": "" }),
      post(forged("forged-prefix", file.corporatePubsub), {
        "dapr-api-token": gateway.appToken.slice(0, -1),
      }),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(401);
      expect(await answer.json()).toMatchObject({
        error: {
          code: "Unauthenticated",
          message: expect.stringMatching(/only from the gateway's Dapr sidecar/),
        },
      });
    }
    // A real delivery through the sidecar afterwards: once it has arrived, a forged one
    // would have had every chance to arrive too.
    await publishSurely(
      site,
      file.corporatePubsub,
      "payment.requested",
      { orderId: "o-1", amount: 10 },
      "real-1",
    );
    const got = await eventually(received, (r) => r.received >= 1, {
      what: "the partner receives the real payment request",
    });
    expect(got.messages.map((m) => m.idempotencyKey)).toEqual(["real-1"]);
    const ledger = await gateway.admin.get<Entries>(`/v1/ledger/entries`);
    expect(ledger.entries.map((e) => e.key).filter((key) => key.includes("forged"))).toEqual([]);
    expect(ledger.count).toBe(1);
  });
});
