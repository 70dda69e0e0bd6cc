import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDaprd, type Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { startEventApp, type EventApp } from "../../dev/stack/event-app.js";
import { eventually } from "../support/kube.js";
import {
  gatewayFile,
  publishSurely,
  startGatewayProcess,
  startLedgerDb,
  startRedis,
  stackModule,
  uniqueEcosystem,
  writeResources,
  type Redis,
  type RunningGateway,
} from "../../dev/stack/gateway-stack.js";

// B4: Dapr drops a message without trace when a subscriber answers DROP, unless a
// dead-letter topic is set. Every module's Subscription has its own dead-letter topic
// (`<topic>.<module>.deadletter`, rendered by the operator); the gateway subscribes to each,
// on a route that says whose it is, so the drop becomes that module's ledger entry: listed,
// audited, replayable, even on a topic the gateway itself serves.

describe("messages Dapr drops", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-drops-"));
  const ecosystem = uniqueEcosystem("dr");
  // The gateway serves the module's topic too (an export route), as it does for
  // mdm.item.changed in the samples.
  const file = gatewayFile({
    ecosystem,
    routes: [
      {
        name: "merged-out",
        topic: "customer.merged",
        direction: "export",
        redact: [],
        sign: false,
      },
    ],
  });
  const moduleId = `${ecosystem}-analytics`;
  let redis: Redis;
  let db: FerretDb;
  let gateway: RunningGateway;
  let module: Daprd;
  let app: EventApp;
  let dropping = true;
  const taken: unknown[] = [];

  beforeAll(async () => {
    redis = await startRedis(dir);
    db = await startLedgerDb(dir);
    const resources = writeResources({
      dir,
      redisPort: redis.port,
      file,
      coreAppIds: [moduleId],
      nonCoreAppIds: [],
      partnerUrls: {},
      modules: [
        stackModule(file, moduleId, {
          tier: "core",
          type: "analytics",
          subscribes: [{ topic: "customer.merged" }],
        }),
      ],
    });
    // A core module that refuses (DROP) what it gets until told otherwise.
    app = await startEventApp((_path, body) => {
      if (dropping) return '{"status":"DROP"}';
      taken.push((body as { data: unknown }).data);
      return '{"status":"SUCCESS"}';
    });
    gateway = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
    });
    module = await startDaprd({
      appId: moduleId,
      appPort: app.port,
      resourcesDir: resources,
      dir,
    });
  });

  afterAll(async () => {
    await module?.stop();
    await gateway?.stop();
    await app?.close();
    await db?.stop();
    await redis?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  it("when a module answers DROP on a topic the gateway also serves, then it is the module's dead letter; replayed and dropped again, a new attempt; replayed once more, delivered", async () => {
    await publishSurely(
      module,
      file.internalPubsub,
      "customer.merged",
      { winner: "c1", loser: "c2" },
      "merge-1",
    );
    const key = `drop:${moduleId}:customer.merged:merge-1`;
    const deadLetter = (attempts: number) =>
      eventually(
        () =>
          gateway.admin.get<{
            count: number;
            deadLetters: Array<{ key: string; attempts: number; lastError: string }>;
          }>(`/v1/deadletters?kind=drop`),
        (r) => r.count === 1 && r.deadLetters[0]!.attempts === attempts,
        { what: `the dropped message recorded (${attempts} attempts)` },
      );
    expect((await deadLetter(0)).deadLetters[0]).toMatchObject({
      key,
      topic: "customer.merged",
      target: moduleId,
      lastError: expect.stringMatching(new RegExp(`${moduleId} could not take it`)),
    });
    const replay = () => gateway.admin.post(`/v1/deadletters/replay`, { kind: "drop" });
    expect(await replay()).toMatchObject({
      replayed: 1,
      results: [{ key, result: "republished" }],
    });
    expect((await deadLetter(1)).deadLetters[0]).toMatchObject({ key, replays: 1 });
    dropping = false;
    expect(await replay()).toMatchObject({
      replayed: 1,
      results: [{ key, result: "republished" }],
    });
    await eventually(
      async () => taken,
      (list) => list.length === 1,
      { what: "the module takes the replayed message" },
    );
    expect(taken).toEqual([{ winner: "c1", loser: "c2" }]);
    const audit = await gateway.admin.get<{ ok: boolean; byState: Record<string, number> }>(
      `/v1/ledger/audit`,
    );
    // The export of the message and the module's (replayed) dead letter.
    expect(audit).toMatchObject({ ok: true, byState: { delivered: 2, "dead-lettered": 0 } });
  });
});
