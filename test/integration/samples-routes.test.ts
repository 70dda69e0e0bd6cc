import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseGatewayFile } from "@symbiont/bus-gateway";
import { webhookSignatureHeaders } from "@symbiont/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDaprd, type Daprd } from "../../dev/harness/daprd.js";
import type { FerretDb } from "../../dev/harness/ferretdb.js";
import {
  startGatewayProcess,
  startLedgerDb,
  startRedis,
  type Redis,
  type RunningGateway,
} from "../../dev/stack/gateway-stack.js";
import { startEventApp, type EventApp } from "../../dev/stack/event-app.js";
import { gatewaySecretEnv, writeSamplesResources } from "../../dev/stack/samples-stack.js";
import { call, startModule, type RunningModule } from "../../dev/stack/service-stack.js";
import { eventually } from "../support/kube.js";

// The samples' routes carry what the real services publish (A3, A4): MDM, CRM and the bus
// gateway as processes with real daprd sidecars, every Dapr resource and the gateway's
// configuration rendered by the operator's own functions from samples/ (both buses on a Redis
// of this test), and a front-office module added to watch the corporate bus. Nothing that
// should cross is dead-lettered, and what leaves the core carries no identity key in clear.

interface Seen {
  path: string;
  body: { data?: unknown; symbiontsignature?: string } & Record<string, unknown>;
}

const observer = {
  apiVersion: "symbiont.dev/v1alpha1",
  kind: "EcosystemModule",
  metadata: { name: "observer" },
  spec: {
    ecosystemRef: { name: "acme" },
    tier: "front-office",
    type: "custom",
    image: "example.com/observer:1",
    subscribes: ["mdm.item.changed", "customer.created", "customer.updated", "customer.merged"].map(
      (topic) => ({ topic }),
    ),
  },
};

describe("the samples' routes with the real services", () => {
  const dir = mkdtempSync(join(tmpdir(), "samples-routes-"));
  const seen: Seen[] = [];
  let redis: Redis;
  let db: FerretDb;
  let app: EventApp;
  let gateway: RunningGateway;
  let mdm: RunningModule;
  let crm: RunningModule;
  let watcher: Daprd;
  let ssoSecret: string;

  beforeAll(async () => {
    [redis, db] = await Promise.all([startRedis(dir), startLedgerDb(dir)]);
    // The front-office module's app, and the outbound partners' endpoint.
    app = await startEventApp((path, body) => {
      seen.push({ path, body: body as Seen["body"] });
      return '{"status":"SUCCESS"}';
    });
    const appPort = app.port;
    const { resourcesDir, rendered } = writeSamplesResources(dir, {
      redisPort: redis.port,
      partnerUrl: (partner) => `http://127.0.0.1:${appPort}/partners/${partner}`,
      extra: [observer],
    });
    // Every route of the samples is Ready, so every one is in the gateway's configuration.
    expect([...rendered.routes].filter(([, v]) => v.status !== "True")).toEqual([]);
    ssoSecret = rendered.secrets.get("acme-partners")!["sso-hmac"]!;
    const module = (service: "mdm" | "crm") =>
      startModule({
        service,
        appId: service,
        dir,
        databaseUrl: `${db.uri}${service}`,
        pubsubName: "acme-internal-bus",
        pubsub: "in-memory",
        resourcesDir,
        env: { SYMBIONT_ECOSYSTEM: "acme" },
      });
    [gateway, mdm, crm, watcher] = await Promise.all([
      startGatewayProcess({
        dir,
        resourcesDir,
        file: parseGatewayFile(JSON.stringify(rendered.gatewayFile)),
        databaseUrl: `${db.uri}ledger`,
        env: gatewaySecretEnv(rendered),
      }),
      module("mdm"),
      module("crm"),
      startDaprd({ appId: "observer", appPort, resourcesDir, dir }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), mdm?.stop(), crm?.stop(), watcher?.stop()]);
    await app?.close();
    await Promise.all([db?.stop(), redis?.stop()]);
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  const events = (topic: string) =>
    seen.filter((s) => s.path === `/events/${topic}`).map((s) => s.body);

  it("when MDM changes an item and CRM creates, updates and merges customers, then each event crosses to the corporate bus, redacted where it names a person", async () => {
    const item = await call<{ id: string }>("POST", `${mdm.url}/items`, {
      sku: "SOFA-1",
      name: "Corner sofa",
      category: "furniture",
      status: "active",
      price: { amount: 899, currency: "EUR" },
    });
    expect(item.status).toBe(201);
    const touch = async (identity: Record<string, string>, extra: Record<string, unknown> = {}) => {
      const answer = await call<{ profileId: string }>("POST", `${crm.url}/touchpoints`, {
        channel: "site_form",
        identity,
        ...extra,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      return answer.body.profileId;
    };
    const maria = await touch(
      { email: "maria.ivanova@example.com", cookieId: "cookie-77" },
      { name: "Maria Ivanova" },
    );
    await touch({ email: "maria.ivanova@example.com" }, { consent: { sms: true } });
    await touch({ phone: "+7 912 345-67-89" });
    await touch({ email: "maria.ivanova@example.com", phone: "+7 912 345-67-89" });

    await eventually(
      async () => ["mdm.item.changed", "customer.created", "customer.updated", "customer.merged"],
      (topics) => topics.every((t) => events(t).length > 0),
      { what: "every exported topic on the corporate bus", timeoutMs: 60_000 },
    );
    expect(events("mdm.item.changed")[0]!.data).toMatchObject({
      change: "created",
      item: { id: item.body.id, sku: "SOFA-1", price: { amount: 899, currency: "EUR" } },
    });
    const created = events("customer.created").find(
      (e) => (e.data as { profile: { id: string } }).profile.id === maria,
    )!;
    expect(created.data).toMatchObject({ profile: { id: maria, names: ["***********va"] } });
    expect(created.symbiontsignature).toMatch(/^sha256=[0-9a-f]{64}$/);
    for (const topic of ["customer.created", "customer.updated", "customer.merged"]) {
      for (const event of events(topic)) {
        const text = JSON.stringify(event.data);
        expect(text, topic).not.toMatch(/maria|79123456789|cookie-77|Maria Ivanova|"keys"|"hints"/);
      }
    }
    expect(events("customer.merged")[0]!.data).toMatchObject({
      rule: expect.any(String),
      absorbedIds: [expect.any(String)],
    });
    // The ads partner takes customer.created from the corporate bus: redacted too.
    const ads = await eventually(
      async () => seen.filter((s) => s.path === "/partners/ads"),
      (list) => list.length > 0,
      { what: "customer.created delivered to the ads partner" },
    );
    expect(JSON.stringify(ads[0]!.body)).not.toMatch(/maria|79123456789|cookie-77/);
  });

  it("when the single sign-on reports a login, then it enters the core and CRM links it to the person by sso:<subject>", async () => {
    const sessionId = "7d444840-9dc0-11d1-b245-5ffdce74fad2";
    const body = JSON.stringify({
      sessionId,
      subject: "u-4711",
      provider: "gosuslugi",
      email: "maria.ivanova@example.com",
      name: "Maria Ivanova",
      loggedInAt: "2026-03-01T10:00:00Z",
    });
    const answer = await fetch(`${gateway.publicUrl}/inbound/sso`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-symbiont-topic": "sso.login",
        ...webhookSignatureHeaders(
          { id: `sso.login:${sessionId}`, topic: "sso.login", body },
          ssoSecret,
        ),
      },
      body,
    });
    expect(answer.status, await answer.clone().text()).toBe(202);
    const found = await eventually(
      () =>
        call<{ customers: Array<{ id: string; keys: string[] }> }>(
          "GET",
          `${crm.url}/customers?email=maria.ivanova@example.com`,
        ),
      (r) => r.status === 200 && (r.body.customers[0]?.keys ?? []).includes("sso:u-4711"),
      { what: "the login's sso key on Maria's profile" },
    );
    expect(found.body.customers).toHaveLength(1);
    expect(found.body.customers[0]!.keys).toEqual(
      expect.arrayContaining(["email:maria.ivanova@example.com", "phone:79123456789"]),
    );
  });

  it("then nothing that should cross was dead-lettered, and every crossing is in the ledger as delivered", async () => {
    const dead = await gateway.admin.get<{ count: number; deadLetters: unknown[] }>(
      `/v1/deadletters`,
    );
    expect(dead.deadLetters).toEqual([]);
    const crossed = await gateway.admin.get<{
      entries: Array<{ kind: string; target: string; state: string }>;
    }>(`/v1/ledger/entries?limit=500`);
    const routes = new Set(
      crossed.entries
        .filter((e) => (e.kind === "export" || e.kind === "import") && e.state === "delivered")
        .map((e) => e.target),
    );
    expect([...routes].sort()).toEqual(
      expect.arrayContaining([
        "catalog-out",
        "customer-merges-out",
        "customer-updates-out",
        "customers-out",
        "sso-in",
      ]),
    );
  });
});
