import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { eventually } from "../support/kube.js";
import {
  gatewayFile,
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

// B4, slow partners: an attempt with no answer within the partner's timeout is cancelled
// (the deadline travels with the call to the sidecar, which drops its request) instead of
// being left running while the retry goes out: the partner applies the message once. The
// binding's own timeout is set far longer here: the gateway must not rely on it.

describe("a slow partner", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-slow-"));
  const ecosystem = uniqueEcosystem("sl");
  const file = gatewayFile({
    ecosystem,
    partners: [
      {
        name: "slow",
        category: "industry",
        direction: "outbound",
        binding: `${ecosystem}-partner-slow`,
        consumes: ["order.shipped"],
        produces: [],
        delivery: {
          maxAttempts: 10,
          backoffInitialMs: 100,
          backoffMaxMs: 500,
          bufferTtlMs: 600_000,
          timeoutMs: 1_000,
          circuitThreshold: 5,
        },
        rateLimit: { requestsPerSecond: 50, burst: 100 },
        auth: { type: "none" },
      },
    ],
  });
  // The partner: holds its first request for slow-1 until the caller gives up (or 30 s),
  // answers every other at once, and counts the requests given up before their answer.
  const applied: string[] = [];
  let heldSlow = false;
  let abandoned = 0;
  let partner: Server;
  let redis: Redis;
  let db: FerretDb;
  let gateway: RunningGateway;
  let outside: Daprd;

  beforeAll(async () => {
    partner = createServer((req, res) => {
      const key = String(req.headers["idempotency-key"]);
      res.on("close", () => {
        if (!res.writableEnded) abandoned += 1;
      });
      req.resume();
      const answer = () => {
        if (res.destroyed) return;
        applied.push(key);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      };
      if (key === "slow-1" && !heldSlow) {
        heldSlow = true;
        setTimeout(answer, 30_000).unref();
      } else answer();
    });
    await new Promise<void>((resolve) => partner.listen(0, "127.0.0.1", resolve));
    redis = await startRedis(dir);
    db = await startLedgerDb(dir);
    const resources = writeResources({
      dir,
      redisPort: redis.port,
      file,
      coreAppIds: [],
      nonCoreAppIds: [`${ecosystem}-site`],
      partnerUrls: { slow: `http://127.0.0.1:${(partner.address() as AddressInfo).port}/` },
      concurrency: 1,
      bindingTimeouts: { slow: "60s" },
    });
    gateway = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
    });
    outside = await startPublisher(`${ecosystem}-site`, resources, dir);
  });

  afterAll(async () => {
    await gateway?.stop();
    await outside?.stop();
    await db?.stop();
    await redis?.stop();
    partner?.closeAllConnections();
    partner?.close();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  it("when the partner does not answer in time, then the attempt is cancelled, and the message is applied once, in order", async () => {
    for (const id of ["slow-1", "fast-2"])
      await publishSurely(outside, file.corporatePubsub, "order.shipped", { id }, id);
    await eventually(
      async () => [...applied],
      (list) => list.includes("fast-2"),
      { what: "both messages at the partner", timeoutMs: 60_000 },
    );
    expect(applied).toEqual(["slow-1", "fast-2"]);
    // The first attempt was given up by the caller, not answered: the partner applied the
    // message once, from the retry.
    await eventually(
      async () => abandoned,
      (count) => count === 1,
      { what: "the timed-out attempt cancelled at the partner", timeoutMs: 20_000 },
    );
    // The partner holds the message a moment before its delivery record is durable.
    const entries = await eventually(
      () =>
        gateway.admin.get<{
          entries: Array<{
            messageId: string;
            state: string;
            attempts: number;
            lastError?: string;
          }>;
        }>(`/v1/ledger/entries?kind=partner`),
      (r) => r.entries.every((entry) => entry.state === "delivered"),
      { what: "the deliveries recorded in the ledger" },
    );
    expect(entries.entries.find((e) => e.messageId === "slow-1")).toMatchObject({
      attempts: 2,
      lastError: expect.stringMatching(/^timeout: /),
    });
  });
});
