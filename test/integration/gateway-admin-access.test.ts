import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gatewayAdminActions, gatewayName } from "@symbiont/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import type { Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import { gatewayAdminClient } from "../../dev/stack/gateway-admin-client.js";
import { gatewayAdminToken } from "../../dev/stack/gateway-admin-token.js";
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

// B1/B4: the gateway's admin API (dead letters, replay, the ledger) listens on its own port,
// not the webhooks' one, and Kubernetes RBAC decides who may use it: the caller's bearer
// token goes through TokenReview and SubjectAccessReview on `busgateways/ledger` (get) and
// `busgateways/replay` (create) of the symbiont.dev group, against the real API server.

interface DeadLetters {
  count: number;
  deadLetters: Array<{ key: string; attempts: number; replays: number }>;
}

describe("the gateway's admin API", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-admin-"));
  const kc = testKubeConfig();
  const ecosystem = uniqueEcosystem("ad");
  const gateway = gatewayName(ecosystem);
  let namespace: string;
  let redis: Redis;
  let db: FerretDb;
  let running: RunningGateway;
  let core: Daprd;
  const tokens: Record<"none" | "reader" | "replayer", string> = {
    none: "",
    reader: "",
    replayer: "",
  };
  const call = (path: string, token?: string, method = "GET") =>
    fetch(`${running.adminUrl}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      ...(method === "POST" ? { body: "{}" } : {}),
    });

  beforeAll(async () => {
    namespace = await createTestNamespace(kc, "gw-admin");
    const file = gatewayFile({
      ecosystem,
      namespace,
      routes: [
        {
          name: "notes-out",
          topic: "note.created",
          direction: "export",
          schema: { type: "object", required: ["text"], properties: { text: { type: "string" } } },
          redact: [],
          sign: false,
        },
      ],
    });
    redis = await startRedis(dir);
    db = await startLedgerDb(dir);
    const resources = writeResources({
      dir,
      redisPort: redis.port,
      file,
      coreAppIds: [`${ecosystem}-crm`],
      nonCoreAppIds: [],
      partnerUrls: {},
    });
    running = await startGatewayProcess({
      dir,
      resourcesDir: resources,
      file,
      databaseUrl: `${db.uri}ledger`,
      env: { KUBECONFIG: inject("kubeconfigPath") },
      kubeAdmin: true,
    });
    core = await startPublisher(`${ecosystem}-crm`, resources, dir);
    const token = (
      name: string,
      actions: (typeof gatewayAdminActions)[keyof typeof gatewayAdminActions][],
    ) => gatewayAdminToken(kc, { namespace, gateway, name, actions });
    tokens.none = await token("nobody", []);
    tokens.reader = await token("reader", [gatewayAdminActions.readLedger]);
    tokens.replayer = await token("replayer", [
      gatewayAdminActions.readLedger,
      gatewayAdminActions.replay,
    ]);
    // A dead letter to replay: an exported event its route's schema refuses.
    await publishSurely(core, file.internalPubsub, "note.created", { n: 1 }, "bad-note");
  });

  afterAll(async () => {
    await running?.stop();
    await core?.stop();
    await db?.stop();
    await redis?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  it("when a caller has no token or a token the API server does not know, then every admin route answers 401", async () => {
    for (const path of [
      "/v1/deadletters",
      "/v1/ledger/entries",
      "/v1/ledger/audit",
      "/v1/partners",
    ]) {
      const anonymous = await call(path);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({
        error: {
          code: "Unauthenticated",
          message: expect.stringMatching(/Authorization: Bearer/),
        },
      });
      expect((await call(path, "forged.jwt.token")).status).toBe(401);
    }
    expect((await call("/v1/deadletters/replay", undefined, "POST")).status).toBe(401);
  });

  it("when a ServiceAccount RBAC does not allow calls, then it gets 403 naming the verb and resource; with the read verb it reads but may not replay", async () => {
    const refused = await call("/v1/deadletters", tokens.none);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: {
        code: "Forbidden",
        message: expect.stringContaining(
          `system:serviceaccount:${namespace}:nobody may not get busgateways/ledger (group symbiont.dev) on ${gateway}`,
        ),
      },
    });
    const before = await eventually(
      () => gatewayAdminClient(running.adminUrl, tokens.reader).get<DeadLetters>("/v1/deadletters"),
      (r) => r.count === 1,
      { what: "the refused note listed as a dead letter" },
    );
    expect(before.deadLetters[0]!.key).toBe("export:notes-out:note.created:bad-note");
    for (const token of [tokens.none, tokens.reader]) {
      const replay = await call("/v1/deadletters/replay", token, "POST");
      expect(replay.status).toBe(403);
      expect(await replay.json()).toMatchObject({
        error: { message: expect.stringMatching(/may not create busgateways\/replay/) },
      });
    }
    const after = await gatewayAdminClient(running.adminUrl, tokens.reader).get<DeadLetters>(
      "/v1/deadletters",
    );
    expect(after).toEqual(before);
  });

  it("when RBAC allows the replay verb, then the replay runs", async () => {
    const replay = await gatewayAdminClient(running.adminUrl, tokens.replayer).post<{
      results: Array<{ key: string; result: string }>;
    }>("/v1/deadletters/replay", {});
    expect(replay.results).toEqual([
      expect.objectContaining({
        key: "export:notes-out:note.created:bad-note",
        result: "still-invalid",
      }),
    ]);
  });

  it("then the webhooks' port serves /inbound only, and the admin port no webhooks or deliveries", async () => {
    for (const path of ["/v1/deadletters", "/v1/ledger/entries", "/metrics", "/healthz"]) {
      const answer = await fetch(`${running.publicUrl}${path}`, {
        headers: { authorization: `Bearer ${tokens.replayer}` },
      });
      expect(answer.status).toBe(404);
    }
    const events = await fetch(`${running.publicUrl}/events/note.created`, {
      method: "POST",
      headers: { "content-type": "application/json", "dapr-api-token": running.appToken },
      body: "{}",
    });
    expect(events.status).toBe(404);
    const inbound = await fetch(`${running.adminUrl}/inbound/sms`, { method: "POST", body: "{}" });
    expect(inbound.status).toBe(404);
  });
});
