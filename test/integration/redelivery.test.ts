import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { startPartnerSim, type PartnerSim } from "@symbiont/partner-sim";
import type { GatewayFile } from "@symbiont/bus-gateway";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { toolPath } from "../../dev/harness/tool-paths.js";
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
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";

// A Redelivery replays real dead letters through a real gateway: partners that refused
// messages take them again, at the Redelivery's rate, and its status says matched, replayed
// and failed with Complete and Ready, as `kubectl get redelivery` shows. The API server
// refuses a Redelivery that would select nothing by mistake or replay at no rate.

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const kc = testKubeConfig();
const client = new KubeClient(kc);
const ecosystem = uniqueEcosystem("rd");
let namespace: string;
let dir: string;
let redis: Redis;
let db: FerretDb;
let sim: PartnerSim;
let gateway: RunningGateway;
let outside: Daprd;
let file: GatewayFile;

const kubectl = (args: string[], input?: string) =>
  execFileSync(toolPath("kubectl"), [...args, "-n", namespace], {
    env: { ...process.env, KUBECONFIG: inject("kubeconfigPath") },
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
    ...(input ? { input } : {}),
  });
const refusal = (manifest: object): string => {
  try {
    kubectl(["apply", "-f", "-"], JSON.stringify(manifest));
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error(`the API server accepted ${JSON.stringify(manifest)}`);
};
const redelivery = (name: string, spec: object) => ({
  apiVersion: "symbiont.dev/v1alpha1",
  kind: "Redelivery",
  metadata: { name },
  spec: { ecosystemRef: { name: ecosystem }, ...spec },
});
const read = async (name: string) => {
  const object = await client.get<Obj>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "Redelivery",
    namespace,
    name,
  });
  if (!object) throw new Error(`Redelivery ${name} not found`);
  return object;
};
const condition = (object: Obj, type: string) =>
  object.status?.conditions?.find((c: { type: string }) => c.type === type);
const untilComplete = (name: string) =>
  eventually(
    () => read(name),
    (object) => condition(object, "Complete")?.status === "True",
    { what: `Redelivery ${name} Complete`, timeoutMs: 120_000 },
  );
const deadLetters = (query: string) =>
  gateway.admin.get<{ count: number }>(`/v1/deadletters?${query}`);
const received = (partner: string) =>
  getJson<{ unique: number }>(`${sim.adminUrl}/admin/partners/${partner}/received`);
const setMode = async (partner: string, mode: object) => {
  const answer = await fetch(`${sim.adminUrl}/admin/partners/${partner}/mode`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(mode),
  });
  expect(answer.status).toBe(200);
};
const partner = (name: string, topic: string) => ({
  name,
  category: "acquiring" as const,
  direction: "outbound" as const,
  binding: `${ecosystem}-partner-${name}`,
  consumes: [topic],
  produces: [],
  delivery: {
    maxAttempts: 2,
    backoffInitialMs: 100,
    backoffMaxMs: 200,
    bufferTtlMs: 600_000,
    timeoutMs: 5_000,
    circuitThreshold: 100,
  },
  rateLimit: { requestsPerSecond: 50, burst: 100 },
  auth: { type: "none" as const },
});

beforeAll(async () => {
  namespace = await createTestNamespace(kc, "redelivery");
  dir = join(inject("controlPlaneDir"), `redelivery-${namespace}`);
  redis = await startRedis(dir);
  db = await startLedgerDb(dir);
  sim = await startPartnerSim(
    {
      adminPort: 0,
      host: "127.0.0.1",
      partners: [
        { name: "pay", kind: "acquirer", port: 0 },
        { name: "bank", kind: "acquirer", port: 0 },
      ],
    },
    { logLevel: "silent" },
  );
  file = gatewayFile({
    ecosystem,
    namespace,
    partners: [partner("pay", "payment.requested"), partner("bank", "payout.requested")],
  });
  const resources = writeResources({
    dir,
    redisPort: redis.port,
    file,
    coreAppIds: [],
    nonCoreAppIds: [`${ecosystem}-site`],
    partnerUrls: { pay: sim.partnerUrl("pay"), bank: sim.partnerUrl("bank") },
  });
  gateway = await startGatewayProcess({
    dir,
    resourcesDir: resources,
    file,
    databaseUrl: `${db.uri}ledger`,
    env: { KUBECONFIG: inject("kubeconfigPath"), SYMBIONT_STATUS_INTERVAL_MS: "500" },
  });
  outside = await startPublisher(`${ecosystem}-site`, resources, dir);
  // Dead letters: both partners refuse everything for a while.
  await setMode("pay", { mode: "reject", status: 422 });
  await setMode("bank", { mode: "reject", status: 422 });
  for (const n of [1, 2, 3, 4, 5])
    await publishSurely(outside, file.corporatePubsub, "payment.requested", { n }, `pay-${n}`);
  await publishSurely(outside, file.corporatePubsub, "payout.requested", { n: 1 }, "bank-1");
  await eventually(
    async () => [
      (await deadLetters("partner=pay")).count,
      (await deadLetters("partner=bank")).count,
    ],
    ([pay, bank]) => pay === 5 && bank === 1,
    { what: "5 dead letters of pay and 1 of bank" },
  );
  await setMode("pay", { mode: "ok" });
  await setMode("bank", { mode: "ok" });
});

afterAll(async () => {
  await gateway?.stop();
  await outside?.stop();
  await sim?.stop();
  await db?.stop();
  await redis?.stop();
  client.close();
});

describe("a Redelivery", () => {
  it("when it selects a partner's dead letters, then the gateway replays exactly those at its rate, and its status and kubectl say 5 of 5", async () => {
    kubectl(
      ["apply", "-f", "-"],
      JSON.stringify(
        redelivery("pay-again", { selector: { partner: "pay" }, rateLimit: { perSecond: 2 } }),
      ),
    );
    const done = await untilComplete("pay-again");
    expect(done.status).toMatchObject({
      matched: 5,
      replayed: 5,
      failed: 0,
      observedGeneration: 1,
    });
    expect(condition(done, "Ready")).toMatchObject({ status: "True", reason: "Replayed" });
    expect(condition(done, "Failed")).toMatchObject({ status: "False" });
    expect(Date.parse(done.status.completionTime)).toBeGreaterThanOrEqual(
      Date.parse(done.status.startTime),
    );

    const arrived = await eventually(
      () => received("pay"),
      (r) => r.unique === 5,
      { what: "the 5 replayed payments arrive at pay" },
    );
    expect(arrived.unique).toBe(5);
    // bank's dead letter was not selected.
    expect((await deadLetters("partner=bank")).count).toBe(1);
    expect((await received("bank")).unique).toBe(0);

    const table = kubectl(["get", "redelivery", "pay-again"]);
    expect(table).toMatch(
      /NAME\s+ECOSYSTEM\s+MATCHED\s+REPLAYED\s+FAILED\s+COMPLETE\s+READY\s+REASON\s+AGE/,
    );
    expect(table).toMatch(
      new RegExp(`pay-again\\s+${ecosystem}\\s+5\\s+5\\s+0\\s+True\\s+True\\s+Replayed`),
    );
  });

  it("when it selects by topic and nothing is dead there, then it completes with NothingMatched; by time window, the rest is replayed", async () => {
    kubectl(
      ["apply", "-f", "-"],
      JSON.stringify(redelivery("none", { selector: { topic: "refund.requested" } })),
    );
    const none = await untilComplete("none");
    expect(none.status).toMatchObject({ matched: 0, replayed: 0, failed: 0 });
    expect(condition(none, "Ready")).toMatchObject({ status: "True", reason: "NothingMatched" });

    const since = new Date(Date.now() - 3_600_000).toISOString();
    kubectl(
      ["apply", "-f", "-"],
      JSON.stringify(
        redelivery("last-hour", { selector: { since, kind: "partner", reason: "HTTP 422" } }),
      ),
    );
    const lastHour = await untilComplete("last-hour");
    expect(lastHour.status).toMatchObject({ matched: 1, replayed: 1, failed: 0 });
    await eventually(
      () => received("bank"),
      (r) => r.unique === 1,
      { what: "bank's replayed payout arrives" },
    );
  });

  it.each([
    {
      what: "an empty selector",
      spec: { selector: {} },
      message: /spec.selector is empty: name a partner, topic, kind, reason or time window/,
    },
    {
      what: "all beside another field",
      spec: { selector: { all: true, partner: "pay" } },
      message:
        /spec.selector.all replays every dead letter; remove the other selector fields or all/,
    },
    {
      what: "a rate of 0 per second",
      spec: { selector: { partner: "pay" }, rateLimit: { perSecond: 0 } },
      message: /spec.rateLimit.perSecond: Invalid value: 0: .*greater than or equal to 1/,
    },
    {
      what: "a time window that ends before it starts",
      spec: { selector: { since: "2026-02-01T00:00:00Z", until: "2026-01-01T00:00:00Z" } },
      message: /spec.selector.since must be before spec.selector.until/,
    },
    {
      what: "a partner with another kind",
      spec: { selector: { partner: "pay", kind: "export" } },
      message: /spec.selector.partner selects dead letters of deliveries to a partner/,
    },
  ])(
    "when it has $what, then the API server refuses it with a message naming the field",
    ({ spec, message }) => {
      expect(refusal(redelivery("bad", spec))).toMatch(message);
    },
  );

  it("when its spec is changed after creation, then the API server refuses: a Redelivery runs once", () => {
    const changed = redelivery("pay-again", { selector: { partner: "bank" } });
    expect(refusal(changed)).toMatch(/spec is immutable: a Redelivery runs once/);
  });
});
