import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDaprd, type Daprd } from "../../dev/harness/daprd.js";
import { startEventApp, type EventApp } from "../../dev/stack/event-app.js";
import { eventually } from "../support/kube.js";
import {
  gatewayFile,
  publish,
  startRedis,
  uniqueEcosystem,
  writeResources,
  type Redis,
} from "../../dev/stack/gateway-stack.js";

// A3: a core module's app-id cannot publish to or subscribe on the corporate bus. The
// corporate bus Component is scoped to the gateway and non-core app-ids, so a core
// module's real daprd does not even load it: publishing is refused, and a Subscription
// that names it never delivers, while the same sidecar works on the internal bus.

interface Metadata {
  components?: Array<{ name: string; type: string }>;
}

describe("the corporate bus's scopes", () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-scopes-"));
  const ecosystem = uniqueEcosystem("sc");
  const file = gatewayFile({ ecosystem });
  const coreId = `${ecosystem}-crm`;
  const siteId = `${ecosystem}-site`;
  let redis: Redis;
  let core: Daprd;
  let site: Daprd;
  let app: EventApp;
  const received: Array<{ path: string; body: { pubsubname?: string; data?: unknown } }> = [];

  beforeAll(async () => {
    redis = await startRedis(dir);
    const resources = writeResources({
      dir,
      redisPort: redis.port,
      file,
      coreAppIds: [coreId],
      nonCoreAppIds: [siteId],
      partnerUrls: {},
    });
    // The core module tries to subscribe to a corporate topic, next to a legitimate internal one.
    const subscription = (name: string, pubsubname: string, topic: string) =>
      stringify({
        apiVersion: "dapr.io/v2alpha1",
        kind: "Subscription",
        metadata: { name },
        spec: { pubsubname, topic, routes: { default: `/events/${topic}` } },
        scopes: [coreId],
      });
    writeFileSync(
      join(resources, "extra-subscriptions.yaml"),
      `${subscription("core-sneaks-corporate", file.corporatePubsub, "payment.captured")}---\n${subscription("core-internal", file.internalPubsub, "customer.merged")}`,
    );
    app = await startEventApp((path, body) => {
      if (path.startsWith("/events/"))
        received.push({ path, body: body as { pubsubname?: string } });
      return '{"status":"SUCCESS"}';
    });
    core = await startDaprd({
      appId: coreId,
      appPort: app.port,
      resourcesDir: resources,
      dir,
    });
    site = await startDaprd({ appId: siteId, resourcesDir: resources, dir });
  });

  afterAll(async () => {
    await core?.stop();
    await site?.stop();
    await app?.close();
    await redis?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  it("when a core module publishes to the corporate bus, then its sidecar refuses: the component is not there", async () => {
    const answer = await fetch(
      `${core.url}/v1.0/publish/${file.corporatePubsub}/payment.captured`,
      { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
    );
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(await answer.json()).toMatchObject({ errorCode: "ERR_PUBSUB_NOT_FOUND" });
    expect(await publish(core, file.internalPubsub, "customer.merged", { id: "c1" })).toBe(204);
    expect(await publish(site, file.corporatePubsub, "payment.captured", { id: "p1" })).toBe(204);
  });

  it("when a core module subscribes on the corporate bus, then it receives nothing from it while its internal subscription works", async () => {
    const metadata = (await (await fetch(`${core.url}/v1.0/metadata`)).json()) as Metadata;
    expect(metadata.components?.map((c) => c.name)).toContain(file.internalPubsub);
    expect(metadata.components?.map((c) => c.name)).not.toContain(file.corporatePubsub);
    // The Subscription is listed (it is declared for this app-id), but its pub/sub is not loaded.
    const siteMetadata = (await (await fetch(`${site.url}/v1.0/metadata`)).json()) as Metadata;
    expect(siteMetadata.components?.map((c) => c.name)).toContain(file.corporatePubsub);
    expect(siteMetadata.components?.map((c) => c.name)).not.toContain(file.internalPubsub);
    // Corporate first, then an internal marker: when the marker has arrived, the corporate
    // message would have had its chance too.
    expect(await publish(site, file.corporatePubsub, "payment.captured", { id: "p2" })).toBe(204);
    expect(await publish(core, file.internalPubsub, "customer.merged", { id: "marker" })).toBe(204);
    await eventually(
      async () => received,
      (list) => list.some((r) => (r.body.data as { id?: string } | undefined)?.id === "marker"),
      { what: "the internal marker reaches the core app" },
    );
    expect(
      received.filter(
        (r) => r.path.includes("payment.captured") || r.body.pubsubname === file.corporatePubsub,
      ),
    ).toEqual([]);
  });
});
