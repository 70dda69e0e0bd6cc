import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { gatewayAdminActions, gatewayName, replayAnnotation } from "@symbiont/contracts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyManifests } from "../../dev/harness/apply-manifests.js";
import { startDaprd, type Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { repoRoot, toolPath } from "../../dev/harness/tool-paths.js";
import { startEventApp, type EventApp } from "../../dev/stack/event-app.js";
import { gatewayAdminToken } from "../../dev/stack/gateway-admin-token.js";
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
import { startOperatorProcess, type OperatorProcess } from "../../dev/stack/operator-process.js";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";

// `kubectl symbiont` as a platform engineer runs it: the real kubectl finds kubectl-symbiont
// (operator/bin) on PATH. status reads the API server; deadletters and trace ask a real bus
// gateway (its own sidecar, Redis and ledger) on its admin port, with a ServiceAccount's token
// that the gateway checks with the API server (TokenReview, SubjectAccessReview), about a
// message a core module refused.

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const kc = testKubeConfig();
const client = new KubeClient(kc);
const run = promisify(execFile);
let namespace: string;
let operator: OperatorProcess;

/** kubectl with the plugin's folder (and this node) on PATH, as after a krew-style install. */
async function kubectl(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const path = [
    join(repoRoot, "operator", "bin"),
    dirname(process.execPath),
    process.env.PATH,
  ].join(delimiter);
  try {
    const { stdout, stderr } = await run(toolPath("kubectl"), args, {
      env: { ...process.env, PATH: path, KUBECONFIG: inject("kubeconfigPath") },
      encoding: "utf8",
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const api = "symbiont.dev/v1alpha1";
const emod = (name: string, tier: string, type: string) => ({
  apiVersion: api,
  kind: "EcosystemModule",
  metadata: { name },
  spec: { ecosystemRef: { name: "acme" }, tier, type, image: `ghcr.io/symbiont-dev/${name}:0.1.0` },
});

beforeAll(async () => {
  namespace = await createTestNamespace(kc, "plugin");
  operator = await startOperatorProcess({
    kubeconfigPath: inject("kubeconfigPath"),
    namespace,
    dir: join(inject("controlPlaneDir"), `operator-${namespace}`),
  });
  await applyManifests(
    kc,
    [
      {
        apiVersion: api,
        kind: "Ecosystem",
        metadata: { name: "acme" },
        spec: {
          internalBus: { type: "redis", connection: { secretRef: { name: "internal-bus" } } },
          corporateBus: { type: "rabbitmq", connection: { secretRef: { name: "corporate-bus" } } },
        },
      },
      emod("crm", "core", "crm"),
      emod("site", "front-office", "site"),
    ] as KubeObject[],
    "test-user",
    namespace,
  );
});

afterAll(async () => {
  await operator?.stop();
  client.close();
});

describe("kubectl symbiont status", () => {
  it("when the ecosystem runs, then one screen shows it from the API server: buses, gateway, modules by tier", async () => {
    await eventually(
      () => client.list<Obj>({ apiVersion: api, kind: "EcosystemModule" }, { namespace }),
      (list) =>
        list.items.filter((m) => m.spec.ecosystemRef.name === "acme").length === 2 &&
        list.items.every((m) =>
          m.status?.conditions?.some(
            (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
          ),
        ),
      { what: "both modules Ready" },
    );
    const { code, stdout, stderr } = await kubectl("symbiont", "status", "-n", namespace);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(new RegExp(`^Ecosystem acme \\(namespace ${namespace}\\): Ready `));
    expect(stdout).toContain("  buses:   internal redis, corporate rabbitmq");
    expect(stdout).toContain("  gateway: acme-bus-gateway");
    const crm = lines.findIndex((l) => /^core\s+crm\s+crm\s+1\/1\s+True\s+Ready$/.test(l));
    const site = lines.findIndex((l) =>
      /^front-office\s+site\s+site\s+1\/1\s+True\s+Ready$/.test(l),
    );
    expect(crm, stdout).toBeGreaterThan(0);
    expect(site, stdout).toBeGreaterThan(crm);
  });

  it("when asked about a namespace without an ecosystem, then it says so", async () => {
    const { stdout } = await kubectl("symbiont", "status", "-n", "default");
    expect(stdout.trim()).toBe("No ecosystem in namespace default.");
  });
});

// Each plugin run starts a Node.js process (tens of seconds on a busy machine without
// operator/dist): these tests run it a dozen times, so they get a longer bound.
describe(
  "kubectl symbiont deadletters and trace, through the bus gateway's admin API",
  { timeout: 600_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "plugin-gw-"));
    const ecosystem = uniqueEcosystem("pl");
    let file: ReturnType<typeof gatewayFile>;
    const moduleId = `${ecosystem}-crm`;
    const key = `drop:${moduleId}:customer.merged:merge-7`;
    const tokens = { reader: "", replayer: "" };
    let redis: Redis;
    let db: FerretDb;
    let gateway: RunningGateway;
    let module: Daprd;
    let app: EventApp;
    let refusing = true;
    const taken: unknown[] = [];
    const viaGateway = (token: string) => [
      "--gateway-url",
      gateway.adminUrl,
      "--token",
      token,
      "-n",
      namespace,
    ];
    const moduleStatus = () =>
      client.get<Obj>({ apiVersion: api, kind: "EcosystemModule", namespace, name: moduleId });

    beforeAll(async () => {
      // The gateway reports to the test's namespace, where its Ecosystem and the module are.
      file = gatewayFile({ ecosystem, namespace });
      const crm = stackModule(file, moduleId, {
        tier: "core",
        type: "crm",
        subscribes: [{ topic: "customer.merged" }],
      });
      await applyManifests(
        kc,
        [
          {
            apiVersion: api,
            kind: "Ecosystem",
            metadata: { name: ecosystem },
            spec: {
              internalBus: { type: "redis", connection: { secretRef: { name: "internal-bus" } } },
              corporateBus: { type: "redis", connection: { secretRef: { name: "corporate-bus" } } },
            },
          },
          crm,
        ] as unknown as KubeObject[],
        "test-user",
        namespace,
      );
      redis = await startRedis(dir);
      db = await startLedgerDb(dir);
      // The module's Subscription with its own dead-letter topic, and the gateway's on it, as
      // the operator renders them.
      const resources = writeResources({
        dir,
        redisPort: redis.port,
        file,
        coreAppIds: [moduleId],
        nonCoreAppIds: [],
        partnerUrls: {},
        modules: [crm],
      });
      app = await startEventApp((_path, body) => {
        if (refusing) return '{"status":"DROP"}';
        taken.push((body as { data: unknown }).data);
        return '{"status":"SUCCESS"}';
      });
      gateway = await startGatewayProcess({
        dir,
        resourcesDir: resources,
        file,
        databaseUrl: `${db.uri}ledger`,
        env: { KUBECONFIG: inject("kubeconfigPath"), SYMBIONT_STATUS_INTERVAL_MS: "500" },
        kubeAdmin: true,
      });
      module = await startDaprd({
        appId: moduleId,
        appPort: app.port,
        resourcesDir: resources,
        dir,
      });
      const grant = (
        name: string,
        actions: (typeof gatewayAdminActions)[keyof typeof gatewayAdminActions][],
      ) => gatewayAdminToken(kc, { namespace, gateway: gatewayName(ecosystem), name, actions });
      tokens.reader = await grant("ledger-reader", [gatewayAdminActions.readLedger]);
      tokens.replayer = await grant("dead-letter-replayer", [
        gatewayAdminActions.readLedger,
        gatewayAdminActions.replay,
      ]);
    });

    afterAll(async () => {
      await module?.stop();
      await gateway?.stop();
      await app?.close();
      await db?.stop();
      await redis?.stop();
      if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
    });

    it("when a module refuses a message, then deadletters list shows it, trace follows it, and replay delivers it", async () => {
      await publishSurely(
        module,
        file.internalPubsub,
        "customer.merged",
        { winner: "c1", loser: "c2" },
        "merge-7",
      );
      // The operator shows the gateway's count on the module that subscribes: then it is listed.
      await eventually(moduleStatus, (m) => m?.status?.deadLetters === 1, {
        what: "the module's status.deadLetters 1",
      });
      const listed = await kubectl(
        "symbiont",
        "deadletters",
        "list",
        "--kind",
        "drop",
        "-o",
        "json",
        ...viaGateway(tokens.reader),
      );
      expect(listed.stderr).toBe("");
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([
        expect.objectContaining({
          key,
          messageId: "merge-7",
          kind: "drop",
          target: moduleId,
          topic: "customer.merged",
          lastError: expect.stringMatching(/dropped or refused/),
        }),
      ]);
      const table = await kubectl("symbiont", "deadletters", "list", ...viaGateway(tokens.reader));
      expect(table.stdout.split("\n")[0]).toMatch(
        /^MESSAGE ID\s+KIND\s+TARGET\s+TOPIC\s+ATTEMPTS\s+REPLAYS\s+DEAD SINCE\s+LAST ERROR$/,
      );
      expect(table.stdout).toMatch(
        new RegExp(
          `merge-7\\s+drop\\s+${moduleId}\\s+customer\\.merged\\s+\\d+\\s+0\\s+\\S+\\s+.*dropped or refused`,
        ),
      );
      const eco = await client.get<Obj>({
        apiVersion: api,
        kind: "Ecosystem",
        namespace,
        name: ecosystem,
      });
      expect(eco!.status.deadLetters).toEqual([
        { kind: "drop", target: moduleId, topic: "customer.merged", count: 1 },
      ]);
      const wide = await kubectl("get", "emod", moduleId, "-n", namespace, "-o", "wide");
      expect(wide.stdout.split("\n")[0]).toMatch(/\sDEAD\s+AGE\s+MESSAGE$/);

      const dead = await kubectl("symbiont", "trace", "merge-7", ...viaGateway(tokens.reader));
      expect(dead.code).toBe(0);
      expect(dead.stdout).toMatch(/^Message merge-7: 1 ledger entry$/m);
      expect(dead.stdout).toMatch(
        new RegExp(`drop\\s+${moduleId}\\s+customer\\.merged\\s+dead-lettered\\s`),
      );

      // Nothing is replayed without saying what, nor by a caller RBAC lets read only.
      const vague = await kubectl(
        "symbiont",
        "deadletters",
        "replay",
        ...viaGateway(tokens.replayer),
      );
      expect(vague.code).not.toBe(0);
      expect(vague.stderr).toContain("replay what? name --partner, --kind or --key, or --all");
      const reader = await kubectl(
        "symbiont",
        "deadletters",
        "replay",
        "--kind",
        "drop",
        ...viaGateway(tokens.reader),
      );
      expect(reader.code).not.toBe(0);
      expect(reader.stderr).toMatch(
        /the bus gateway refused POST \/v1\/deadletters\/replay with your credentials \(HTTP 403\).*may not create busgateways\/replay/,
      );

      refusing = false;
      const replay = await kubectl(
        "symbiont",
        "deadletters",
        "replay",
        "--key",
        key,
        ...viaGateway(tokens.replayer),
      );
      expect(replay.stdout.trim()).toBe("replayed 1 of 1 dead letter(s)");
      expect(replay.code).toBe(0);
      await eventually(
        async () => taken,
        (list) => list.length === 1,
        { what: "the module takes the replayed message" },
      );
      expect(taken).toEqual([{ winner: "c1", loser: "c2" }]);
      const delivered = await eventually(
        () => kubectl("symbiont", "trace", "merge-7", ...viaGateway(tokens.reader)),
        (r) => /delivered/.test(r.stdout),
        { what: "the trace showing the replayed message delivered" },
      );
      expect(delivered.stdout).toMatch(
        new RegExp(`drop\\s+${moduleId}\\s+customer\\.merged\\s+delivered\\s+\\d+\\s+1\\s`),
      );
      expect(
        (
          await kubectl("symbiont", "deadletters", "list", ...viaGateway(tokens.reader))
        ).stdout.trim(),
      ).toBe("No dead letters.");
      await eventually(moduleStatus, (m) => m?.status?.deadLetters === 0, {
        what: "the module's status.deadLetters back to 0",
      });
    });

    it("when the Ecosystem is annotated to replay, then the gateway replays once, says so in an Event and removes the annotation", async () => {
      refusing = true;
      await publishSurely(
        module,
        file.internalPubsub,
        "customer.merged",
        { winner: "c3" },
        "merge-8",
      );
      await eventually(moduleStatus, (m) => m?.status?.deadLetters === 1, {
        what: "merge-8 counted as a dead letter",
      });
      const annotation = (value: string) =>
        kubectl("annotate", "eco", ecosystem, "-n", namespace, `${replayAnnotation}=${value}`);
      const annotated = async () =>
        (await client.get<Obj>({ apiVersion: api, kind: "Ecosystem", namespace, name: ecosystem }))
          ?.metadata.annotations?.[replayAnnotation];
      const eventsOf = async (reason: string) =>
        (await client.list<Obj>({ apiVersion: "v1", kind: "Event" }, { namespace })).items.filter(
          (e) => e.involvedObject.name === ecosystem && e.reason === reason,
        );

      // A request it does not understand is refused, removed, and nothing is replayed.
      expect((await annotation("kind=lost")).code).toBe(0);
      const refused = await eventually(
        () => eventsOf("ReplayRefused"),
        (events) => events.length === 1,
        { what: "a ReplayRefused Event" },
      );
      expect(refused[0]!.message).toContain("write all, partner=<name>, kind=<");
      expect(await annotated()).toBeUndefined();

      refusing = false;
      expect((await annotation("kind=drop")).code).toBe(0);
      await eventually(
        async () => taken,
        (list) => list.length === 2,
        { what: "the module takes the message the annotation replayed" },
      );
      expect(taken[1]).toEqual({ winner: "c3" });
      const replayed = await eventually(
        () => eventsOf("DeadLettersReplayed"),
        (events) => events.length === 1,
        { what: "a DeadLettersReplayed Event" },
      );
      expect(replayed[0]).toMatchObject({
        type: "Normal",
        message: "replayed 1 of 1 dead letter(s) (kind=drop)",
      });
      expect(await annotated()).toBeUndefined();
    });

    it("when the caller brings the kubeconfig user's own token, an unknown token, an unknown message or no gateway address, then it works or says why and fails", async () => {
      // Without --token the kubeconfig's user's bearer token goes (here a cluster admin's).
      const own = await kubectl(
        "symbiont",
        "deadletters",
        "list",
        "--gateway-url",
        gateway.adminUrl,
        "-n",
        namespace,
      );
      expect(own.stderr).toBe("");
      expect(own.stdout.trim()).toBe("No dead letters.");
      const forged = await kubectl("symbiont", "deadletters", "list", ...viaGateway("not.a.token"));
      expect(forged.code).not.toBe(0);
      expect(forged.stderr).toMatch(
        /the bus gateway refused GET \/v1\/deadletters with your credentials \(HTTP 401\)/,
      );
      const unknown = await kubectl(
        "symbiont",
        "trace",
        "no-such-id",
        ...viaGateway(tokens.reader),
      );
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toContain("message no-such-id is not in the bus gateway's ledger");
      const away = await kubectl("symbiont", "deadletters", "list", "-n", namespace);
      expect(away.code).not.toBe(0);
      expect(away.stderr).toContain(
        `run kubectl port-forward -n ${namespace} deploy/ECOSYSTEM-bus-gateway 8082:8082`,
      );
    });
  },
);
