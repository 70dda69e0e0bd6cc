import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from "@kubernetes/client-node";
import type { GatewayFile } from "@symbiont/bus-gateway";
import { startPartnerSim, type PartnerSim } from "@symbiont/partner-sim";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";
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

// Delivery counts reach `kubectl get partner`: the gateway writes the PartnerIntegration's
// status (server-side apply, its own field manager, conditions merged with the
// operator's Ready) within 15 s of a change, and dead letters raise one aggregated Event.

const group = "symbiont.dev";
const version = "v1alpha1";
const plural = "partnerintegrations";

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}
interface PartnerObject {
  metadata: {
    generation: number;
    managedFields?: Array<{ manager: string; subresource?: string }>;
  };
  status?: {
    conditions?: Condition[];
    delivery?: {
      delivered: number;
      retrying: number;
      buffered: number;
      deadLettered: number;
      lastError: string;
      oldestPendingSeconds: number;
    };
  };
}

/** Until the operator's CRD is in crds/, a minimal one of the same shape. */
async function ensurePartnerCrd(kc: KubeConfig): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  try {
    await api.readCustomResourceDefinition({ name: `${plural}.${group}` });
    return;
  } catch {
    // not installed: install the minimal shape
  }
  await api.createCustomResourceDefinition({
    body: {
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        scope: "Namespaced",
        names: {
          plural,
          singular: "partnerintegration",
          kind: "PartnerIntegration",
          shortNames: ["partner"],
        },
        versions: [
          {
            name: version,
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: { type: "object", x_kubernetes_preserve_unknown_fields: true },
                  status: {
                    type: "object",
                    properties: {
                      conditions: {
                        type: "array",
                        x_kubernetes_list_type: "map",
                        x_kubernetes_list_map_keys: ["type"],
                        items: {
                          type: "object",
                          required: ["type", "status"],
                          properties: {
                            type: { type: "string" },
                            status: { type: "string" },
                            reason: { type: "string" },
                            message: { type: "string" },
                            lastTransitionTime: { type: "string", format: "date-time" },
                            observedGeneration: { type: "integer" },
                          },
                        },
                      },
                      delivery: {
                        type: "object",
                        properties: Object.fromEntries(
                          [
                            "delivered",
                            "retrying",
                            "buffered",
                            "deadLettered",
                            "oldestPendingSeconds",
                            "lastError",
                          ].map((field) => [
                            field,
                            { type: field === "lastError" ? "string" : "integer" },
                          ]),
                        ),
                      },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    },
  });
  await eventually(
    async () =>
      (await api.readCustomResourceDefinition({ name: `${plural}.${group}` })).status?.conditions ??
      [],
    (conditions) => conditions.some((c) => c.type === "Established" && c.status === "True"),
    { what: "PartnerIntegration CRD established" },
  );
}

describe("the bus gateway reporting to Kubernetes", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-status-"));
  const ecosystem = uniqueEcosystem("st");
  let kc: KubeConfig;
  let namespace: string;
  let redis: Redis;
  let db: FerretDb;
  let sim: PartnerSim;
  let gateway: RunningGateway;
  let site: Daprd;
  let file: GatewayFile;
  let objects: CustomObjectsApi;

  beforeAll(async () => {
    kc = testKubeConfig();
    namespace = await createTestNamespace(kc, "gw");
    await ensurePartnerCrd(kc);
    objects = kc.makeApiClient(CustomObjectsApi);
    await objects.createNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      body: {
        apiVersion: `${group}/${version}`,
        kind: "PartnerIntegration",
        metadata: { name: "sms" },
        spec: {
          ecosystemRef: { name: ecosystem },
          category: "messaging",
          direction: "outbound",
          endpoint: "https://sms.example.com/send",
          auth: { type: "hmac", secretRef: { name: "sms-secret", key: "key" } },
          consumes: ["notification.sms"],
        },
      },
    });
    // The operator's Ready, under its own field manager: the gateway must leave it alone.
    await objects.patchNamespacedCustomObjectStatus(
      {
        group,
        version,
        namespace,
        plural,
        name: "sms",
        fieldManager: "symbiont-operator",
        force: true,
        body: {
          apiVersion: `${group}/${version}`,
          kind: "PartnerIntegration",
          metadata: { name: "sms", namespace },
          status: {
            conditions: [
              {
                type: "Ready",
                status: "True",
                reason: "Rendered",
                message: "binding and routes rendered",
                lastTransitionTime: new Date().toISOString(),
                observedGeneration: 1,
              },
            ],
          },
        },
      },
      setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
    );
    redis = await startRedis(dir);
    db = await startLedgerDb(dir);
    sim = await startPartnerSim(
      { adminPort: 0, host: "127.0.0.1", partners: [{ name: "sms", kind: "sms", port: 0 }] },
      { logLevel: "silent" },
    );
    file = gatewayFile({
      ecosystem,
      namespace,
      partners: [
        {
          name: "sms",
          category: "messaging",
          direction: "outbound",
          binding: `${ecosystem}-partner-sms`,
          consumes: ["notification.sms"],
          produces: [],
          delivery: {
            maxAttempts: 2,
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
      nonCoreAppIds: [`${ecosystem}-site`],
      partnerUrls: { sms: sim.partnerUrl("sms") },
    });
    gateway = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
      env: { KUBECONFIG: inject("kubeconfigPath") },
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

  const read = async () =>
    (await objects.getNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: "sms",
    })) as PartnerObject;
  // Without managedFields, so a timeout shows the status itself.
  const readStatus = async (): Promise<PartnerObject> => {
    const object = await read();
    return {
      metadata: { generation: object.metadata.generation },
      ...(object.status ? { status: object.status } : {}),
    };
  };
  const condition = (object: PartnerObject, type: string) =>
    object.status?.conditions?.find((c) => c.type === type);
  const setMode = (mode: object) =>
    fetch(`${sim.adminUrl}/admin/partners/sms/mode`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(mode),
    });
  const within15s = { timeoutMs: 15_000, intervalMs: 500 };

  it("when messages are delivered, then the status counts them, Delivering is True and the operator's Ready is kept", async () => {
    for (let n = 0; n < 5; n++)
      await publishSurely(site, file.corporatePubsub, "notification.sms", { n }, `ok-${n}`);
    const object = await eventually(read, (o) => o.status?.delivery?.delivered === 5, {
      ...within15s,
      what: "delivered: 5 in the status",
    });
    expect(object.status?.delivery).toMatchObject({
      delivered: 5,
      retrying: 0,
      buffered: 0,
      deadLettered: 0,
      oldestPendingSeconds: 0,
    });
    expect(condition(object, "Delivering")).toMatchObject({
      status: "True",
      reason: "Delivering",
      observedGeneration: object.metadata.generation,
    });
    expect(condition(object, "Buffering")).toMatchObject({ status: "False", reason: "Empty" });
    expect(condition(object, "Ready")).toMatchObject({ status: "True", reason: "Rendered" });
    expect(
      object.metadata.managedFields?.some(
        (f) => f.manager === "symbiont-bus-gateway" && f.subresource === "status",
      ),
    ).toBe(true);
  });

  it("when the partner is down, then the status shows the buffer and Delivering False", async () => {
    expect((await setMode({ mode: "down" })).status).toBe(200);
    for (let n = 0; n < 4; n++)
      await publishSurely(site, file.corporatePubsub, "notification.sms", { n }, `down-${n}`);
    const object = await eventually(
      readStatus,
      (o) =>
        (o.status?.delivery?.buffered ?? 0) + (o.status?.delivery?.retrying ?? 0) === 4 &&
        condition(o, "Delivering")?.reason === "PartnerUnreachable",
      {
        ...within15s,
        what: "4 pending and Delivering False",
      },
    );
    expect(condition(object, "Delivering")).toMatchObject({ reason: "PartnerUnreachable" });
    expect(condition(object, "Buffering")).toMatchObject({
      status: "True",
      message: expect.stringMatching(/^4 message\(s\) pending, the oldest for \d+s$/),
    });
    expect(object.status?.delivery?.lastError).toMatch(/connection refused/);
  });

  it("when messages become dead letters, then one aggregated Warning Event counts them", async () => {
    expect((await setMode({ mode: "reject", status: 400 })).status).toBe(200);
    for (let n = 0; n < 6; n++)
      await publishSurely(site, file.corporatePubsub, "notification.sms", { n }, `reject-${n}`);
    const object = await eventually(readStatus, (o) => o.status?.delivery?.deadLettered === 10, {
      timeoutMs: 45_000,
      what: "10 dead letters in the status",
    });
    expect(condition(object, "Buffering")).toMatchObject({ status: "False" });
    const core = kc.makeApiClient(CoreV1Api);
    const events = await eventually(
      async () =>
        (
          await core.listNamespacedEvent({
            namespace,
            fieldSelector: "involvedObject.name=sms,reason=DeadLettered",
          })
        ).items,
      (items) => items.reduce((sum, e) => sum + (e.count ?? 0), 0) === 10,
      { ...within15s, what: "Events counting 10 dead letters" },
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "Warning",
      involvedObject: { kind: "PartnerIntegration", name: "sms" },
      source: { component: "symbiont-bus-gateway" },
    });
    expect(events[0]?.message).toMatch(/HTTP 400/);
  });
});
