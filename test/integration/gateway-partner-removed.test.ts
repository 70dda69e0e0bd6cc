import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { startPartnerSim, type PartnerSim } from "@symbiont/partner-sim";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import {
  gatewayFile,
  startGatewayProcess,
  startLedgerDb,
  startRedis,
  uniqueEcosystem,
  writeResources,
  type Redis,
  type RunningGateway,
} from "../../dev/stack/gateway-stack.js";
import { ledgerRecordModel } from "../../services/bus-gateway/src/data/ledger-record-model.js";
import { LedgerStore } from "../../services/bus-gateway/src/data/ledger-store.js";
import { Ledger } from "../../services/bus-gateway/src/domain/ledger.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";

// Messages that were waiting for a partner that is gone (deleted, renamed, switched to
// inbound) become dead letters with reason PartnerRemoved when the gateway starts without
// it, and its Ecosystem's status counts them (status.partnerRemoved, `kubectl get ecosystem
// -o wide`); handed over to another partner, they leave the count and reach that partner.

const group = "symbiont.dev";
const version = "v1alpha1";

interface EcosystemObject {
  status?: {
    partnerRemoved?: number;
    deadLetters?: Array<{ kind: string; target: string; count: number }>;
  };
}

describe("dead letters of a partner that is gone, on the Ecosystem", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-removed-"));
  const ecosystem = uniqueEcosystem("pr");
  let kc: KubeConfig;
  let namespace: string;
  let objects: CustomObjectsApi;
  let redis: Redis;
  let db: FerretDb;
  let sim: PartnerSim;
  let gateway: RunningGateway;

  beforeAll(async () => {
    kc = testKubeConfig();
    namespace = await createTestNamespace(kc, "gwpr");
    objects = kc.makeApiClient(CustomObjectsApi);
    await objects.createNamespacedCustomObject({
      group,
      version,
      namespace,
      plural: "ecosystems",
      body: {
        apiVersion: `${group}/${version}`,
        kind: "Ecosystem",
        metadata: { name: ecosystem },
        spec: {
          internalBus: { type: "redis", connection: { secretRef: { name: "internal-bus" } } },
          corporateBus: { type: "redis", connection: { secretRef: { name: "corporate-bus" } } },
        },
      },
    });
    redis = await startRedis(dir);
    db = await startLedgerDb(dir);
    // Before: partner `old` had three messages waiting (its partner was down).
    const connection = await mongoose.createConnection(`${db.uri}ledger`).asPromise();
    const store = new LedgerStore(ledgerRecordModel(connection));
    await new Ledger(store).accept(
      ["p-1", "p-2", "p-3"].map((id) => ({
        messageId: id,
        kind: "partner" as const,
        target: "old",
        topic: "order.paid",
        pubsub: `${ecosystem}-corporate-bus`,
        state: "buffered" as const,
        payload: JSON.stringify({ id }),
      })),
    );
    await connection.close();
    sim = await startPartnerSim(
      { adminPort: 0, host: "127.0.0.1", partners: [{ name: "billing", kind: "sms", port: 0 }] },
      { logLevel: "silent" },
    );
    // After: the ecosystem's partners are only `billing`.
    const file = gatewayFile({
      ecosystem,
      namespace,
      partners: [
        {
          name: "billing",
          category: "messaging",
          direction: "outbound",
          binding: `${ecosystem}-partner-billing`,
          consumes: ["order.paid"],
          produces: [],
          delivery: {
            maxAttempts: 5,
            backoffInitialMs: 100,
            backoffMaxMs: 300,
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
      coreAppIds: [],
      nonCoreAppIds: [],
      partnerUrls: { billing: sim.partnerUrl("billing") },
    });
    gateway = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
      env: { KUBECONFIG: inject("kubeconfigPath") },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await sim?.stop();
    await db?.stop();
    await redis?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  const read = async () =>
    (await objects.getNamespacedCustomObject({
      group,
      version,
      namespace,
      plural: "ecosystems",
      name: ecosystem,
    })) as EcosystemObject;

  it("when the gateway starts without the partner, then the Ecosystem counts its waiting messages as PartnerRemoved, and a hand-over empties the count", async () => {
    const object = await eventually(read, (o) => o.status?.partnerRemoved === 3, {
      timeoutMs: 30_000,
      what: "status.partnerRemoved: 3 on the Ecosystem",
    });
    expect(object.status?.deadLetters).toContainEqual({
      kind: "partner",
      target: "old",
      topic: "order.paid",
      count: 3,
    });

    const replay = await gateway.admin.post<{ replayed: number }>("/v1/deadletters/replay", {
      partner: "old",
      to: "billing",
    });
    expect(replay.replayed).toBe(3);
    await eventually(read, (o) => o.status?.partnerRemoved === 0, {
      timeoutMs: 30_000,
      what: "status.partnerRemoved: 0 after the hand-over",
    });
    const received = await eventually(
      async () => sim.endpoints.get("billing")?.log.messages({ uniqueOnly: true }) ?? [],
      (list) => list.length === 3,
      { what: "billing received the three messages" },
    );
    expect(received.map((m) => (m.body as { id: string }).id).sort()).toEqual([
      "p-1",
      "p-2",
      "p-3",
    ]);
  });
});
