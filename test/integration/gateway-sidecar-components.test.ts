import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyManifests } from "../../dev/harness/apply-manifests.js";
import { daprdLog, startDaprd, type Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import {
  gatewayAppId,
  gatewayFile,
  startGatewayProcess,
  startLedgerDb,
  startRedis,
  uniqueEcosystem,
  writeResources,
  type Redis,
  type RunningGateway,
} from "../../dev/stack/gateway-stack.js";
import { startOperatorProcess, type OperatorProcess } from "../../dev/stack/operator-process.js";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import {
  appTokenEnv,
  corporateBusName,
  internalBusName,
  partnerBindingName,
} from "@symbiont/contracts";
import { testPartner } from "../../services/bus-gateway/src/testing/test-file.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";

// Dapr component load failures reach the Ecosystem's BusesConfigured: the gateway reads its
// real daprd's metadata API and reports what is loaded into the Ecosystem's status; the
// operator turns it into the condition. A binding the sidecar started without is named
// (ComponentLoadFailed); a bus whose Redis does not answer makes daprd exit at start, as
// Dapr does without ignoreErrors, and the silent sidecar is reported (SidecarUnavailable)
// until the broker is back and the sidecar starts again.

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const kc = testKubeConfig();
const client = new KubeClient(kc);
const eco = uniqueEcosystem("side");
let namespace: string;
let dir: string;
let operator: OperatorProcess;
let redis: Redis;
let db: FerretDb;
let gateway: RunningGateway;
let sidecar: Daprd;

const buses = (object: Obj) =>
  object.status?.conditions?.find((c: { type: string }) => c.type === "BusesConfigured") as
    { status: string; reason: string; message: string } | undefined;
const ecosystemObject = async () => {
  const object = await client.get<Obj>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "Ecosystem",
    namespace,
    name: eco,
  });
  if (!object) throw new Error(`Ecosystem ${eco} not found`);
  return object;
};
const untilBuses = (reason: string) =>
  eventually(ecosystemObject, (object) => buses(object)?.reason === reason, {
    what: `Ecosystem ${eco} BusesConfigured ${reason}`,
    timeoutMs: 120_000,
  });

/** A partner of the gateway file, as the contract's output type (defaults filled in). */
const partnerOf = (name: string) => ({
  ...testPartner(name, ["order.created"]),
  binding: partnerBindingName(eco, name),
  produces: [],
  delivery: { ...testPartner(name, []).delivery, timeoutMs: 5_000, circuitThreshold: 5 },
  rateLimit: { requestsPerSecond: 50, burst: 100 },
  auth: { type: "none" as const },
});

function resources(partners: string[], redisPort: number): string {
  return writeResources({
    dir,
    redisPort,
    file: gatewayFile({
      ecosystem: eco,
      namespace,
      partners: partners.map(partnerOf),
    }),
    coreAppIds: [],
    nonCoreAppIds: [],
    partnerUrls: Object.fromEntries(partners.map((name) => [name, "http://127.0.0.1:9/"])),
  });
}

const gatewayFileOf = () =>
  gatewayFile({
    ecosystem: eco,
    namespace,
    partners: [partnerOf("sms")],
  });

/** Starts the gateway's sidecar again on its ports, as Kubernetes restarts a container. */
async function restartSidecar(resourcesDir: string): Promise<Daprd> {
  await sidecar.stop();
  return startDaprd({
    appId: gatewayAppId(gatewayFileOf()),
    appPort: gateway.port,
    resourcesDir,
    dir,
    name: `daprd-${gatewayAppId(gatewayFileOf())}-again`,
    appMaxConcurrency: 1,
    env: { ...process.env, [appTokenEnv]: gateway.appToken },
    ports: sidecar.ports,
  });
}

beforeAll(async () => {
  namespace = await createTestNamespace(kc, "sidecar");
  dir = join(inject("controlPlaneDir"), `sidecar-${namespace}`);
  operator = await startOperatorProcess({
    kubeconfigPath: inject("kubeconfigPath"),
    namespace,
    dir: join(dir, "operator"),
  });
  await applyManifests(
    kc,
    [
      {
        apiVersion: "symbiont.dev/v1alpha1",
        kind: "Ecosystem",
        metadata: { name: eco },
        spec: {
          internalBus: { type: "redis", connection: { secretRef: { name: "internal-bus" } } },
          corporateBus: { type: "redis", connection: { secretRef: { name: "corporate-bus" } } },
        },
      },
    ] as object[] as KubeObject[],
    "test-user",
    namespace,
  );
  redis = await startRedis(dir);
  db = await startLedgerDb(dir);
  // The sidecar starts before the partner's binding exists: it never loads it.
  gateway = await startGatewayProcess({
    dir,
    resourcesDir: resources([], redis.port),
    file: gatewayFileOf(),
    databaseUrl: `${db.uri}ledger`,
    env: { KUBECONFIG: inject("kubeconfigPath"), SYMBIONT_STATUS_INTERVAL_MS: "500" },
  });
  sidecar = gateway.daprd;
});

afterAll(async () => {
  await gateway?.stop();
  await sidecar?.stop();
  await redis?.stop();
  await db?.stop();
  await operator?.stop();
  client.close();
});

describe("the bus gateway's sidecar components in BusesConfigured", () => {
  it("when the sidecar started without a partner's binding, then BusesConfigured is False and names it; once loaded, True", async () => {
    const failed = await untilBuses("ComponentLoadFailed");
    expect(buses(failed)).toMatchObject({ status: "False" });
    expect(buses(failed)!.message).toContain(
      `has not loaded component(s) ${partnerBindingName(eco, "sms")}:`,
    );
    expect(failed.status.gatewaySidecar).toEqual({
      reachable: true,
      neededComponents: [
        corporateBusName(eco),
        internalBusName(eco),
        partnerBindingName(eco, "sms"),
      ].sort(),
      missingComponents: [partnerBindingName(eco, "sms")],
    });
    expect(
      failed.status.conditions.find((c: { type: string }) => c.type === "Ready"),
    ).toMatchObject({
      status: "False",
      reason: "ComponentLoadFailed",
    });

    sidecar = await restartSidecar(resources(["sms"], redis.port));
    const loaded = await untilBuses("ComponentsLoaded");
    expect(buses(loaded)).toMatchObject({ status: "True" });
  });

  it("when the bus's Redis does not answer as the sidecar starts, then daprd exits naming the component, BusesConfigured is False (SidecarUnavailable), and True again once Redis is back", async () => {
    const redisPort = redis.port;
    await redis.stop();
    // The port stays taken while Redis is away, by a listener that hangs up on every
    // connection: a test file running beside this one could otherwise get it for a Redis of its
    // own, and the sidecar would start.
    const hangUp: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      hangUp.once("error", reject);
      hangUp.listen(redisPort, "127.0.0.1", resolve);
    });
    const closed = resources(["sms"], redisPort);
    await expect(restartSidecar(closed)).rejects.toThrow();
    const silent = await untilBuses("SidecarUnavailable");
    expect(buses(silent)).toMatchObject({ status: "False" });
    expect(buses(silent)!.message).toContain(
      `(it loads ${[corporateBusName(eco), internalBusName(eco), partnerBindingName(eco, "sms")].sort().join(", ")})`,
    );
    // What `kubectl logs -c daprd --previous` shows in a cluster.
    const log = readFileSync(daprdLog(dir, `${gatewayAppId(gatewayFileOf())}-again`), "utf8");
    expect(log).toMatch(/Failed to init component side[0-9a-f]+-(internal|corporate)-bus/);

    await new Promise<void>((resolve) => hangUp.close(() => resolve()));
    redis = await startRedis(dir, { port: redisPort });
    sidecar = await restartSidecar(closed);
    const healed = await untilBuses("ComponentsLoaded");
    expect(buses(healed)).toMatchObject({ status: "True" });
  });
});
