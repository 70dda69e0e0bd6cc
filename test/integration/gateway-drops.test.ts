import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
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
  uniqueEcosystem,
  writeResources,
  type Redis,
  type RunningGateway,
} from "../../dev/stack/gateway-stack.js";

// B4: Dapr drops a message without trace when a subscriber answers DROP, unless a
// dead-letter topic is set. Every Subscription has `<topic>.deadletter`; the gateway
// subscribes to it, so the drop becomes a ledger entry: listed, audited, replayable.

describe("messages Dapr drops", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-drops-"));
  const ecosystem = uniqueEcosystem("dr");
  const file = gatewayFile({ ecosystem });
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
    });
    const gatewayId = `${ecosystem}-bus-gateway`;
    const subscription = (name: string, topic: string, scope: string, deadLetterTopic?: string) =>
      stringify({
        apiVersion: "dapr.io/v2alpha1",
        kind: "Subscription",
        metadata: { name },
        spec: {
          pubsubname: file.internalPubsub,
          topic,
          routes: { default: `/events/${topic}` },
          ...(deadLetterTopic ? { deadLetterTopic } : {}),
        },
        scopes: [scope],
      });
    appendFileSync(
      join(resources, "resources.yaml"),
      `---\n${subscription("module-merged", "customer.merged", moduleId, "customer.merged.deadletter")}---\n${subscription("gateway-merged-dlq", "customer.merged.deadletter", gatewayId)}`,
    );
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

  it("when a subscriber answers DROP, then the message is a dead letter in the ledger, and a replay delivers it", async () => {
    await publishSurely(
      module,
      file.internalPubsub,
      "customer.merged",
      { winner: "c1", loser: "c2" },
      "merge-1",
    );
    const dead = await eventually(
      () =>
        gateway.admin.get<{
          count: number;
          deadLetters: Array<{ key: string; kind: string; topic: string; lastError: string }>;
        }>(`/v1/deadletters?kind=drop`),
      (r) => r.count === 1,
      { what: "the dropped message recorded" },
    );
    expect(dead.deadLetters[0]).toMatchObject({
      key: `drop:${file.internalPubsub}:merge-1`,
      topic: "customer.merged",
      lastError: expect.stringMatching(/dropped or refused/),
    });
    dropping = false;
    const replay = await gateway.admin.post(`/v1/deadletters/replay`, { kind: "drop" });
    expect(replay).toMatchObject({
      replayed: 1,
      results: [{ result: "republished" }],
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
    expect(audit).toMatchObject({ ok: true, byState: { delivered: 1, "dead-lettered": 0 } });
  });
});
