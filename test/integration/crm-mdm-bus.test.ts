import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose, { type Connection } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDaprd, type Daprd } from "../../dev/harness/daprd.js";
import { startFerretDb, type FerretDb } from "../../dev/harness/ferretdb.js";
import { waitUntil } from "../../dev/harness/probe.js";
import {
  call,
  startModule,
  writeResources,
  type RunningModule,
} from "../../dev/stack/service-stack.js";

// MDM and CRM as separate processes with their own sidecars, talking only over a real
// RabbitMQ through real daprd (MISSION A1, C1, C2): catalog changes reach CRM as events,
// touchpoints arrive as events, and a redelivered event is recognised.

const run = randomBytes(3).toString("hex");
const bus = `test-${run}-internal-bus`;
let dir: string;
let ferret: FerretDb;
let mdm: RunningModule;
let crm: RunningModule;
let channel: Daprd;
let crmDb: Connection;

interface Item {
  id: string;
  version: number;
}
interface Profile {
  id: string;
  touchpointCount: number;
  interests: Array<{ itemId: string; name?: string }>;
}

async function publish(topic: string, id: string, data: unknown): Promise<void> {
  const response = await fetch(`${channel.url}/v1.0/publish/${bus}/${topic}`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body: JSON.stringify({
      specversion: "1.0",
      id,
      source: "site",
      type: topic,
      datacontenttype: "application/json",
      data,
    }),
  });
  expect(response.status).toBe(204);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "symbiont-crm-mdm-"));
  ferret = await startFerretDb({ dir, backend: "postgresql" });
  mdm = await startModule({
    service: "mdm",
    appId: `mdm-${run}`,
    dir,
    databaseUrl: `${ferret.uri}mdm`,
    pubsubName: bus,
    pubsub: "rabbitmq",
  });
  crm = await startModule({
    service: "crm",
    appId: `crm-${run}`,
    dir,
    databaseUrl: `${ferret.uri}crm`,
    pubsubName: bus,
    pubsub: "rabbitmq",
    subscribes: ["mdm.item.changed", "touchpoint.recorded"],
  });
  // A channel (the site's back end) that only publishes touchpoints.
  const resourcesDir = writeResources(dir, `site-${run}`, bus, "rabbitmq", []);
  channel = await startDaprd({ appId: `site-${run}`, resourcesDir, dir });
  crmDb = await mongoose.createConnection(`${ferret.uri}crm`).asPromise();
});

afterAll(async () => {
  await crmDb?.close();
  await channel?.stop();
  await crm?.stop();
  await mdm?.stop();
  await ferret?.stop();
  if (dir && !process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

describe("MDM and CRM over the internal bus", () => {
  it("when both run with their sidecars, then each answers ready with database and sidecar up", async () => {
    for (const module of [mdm, crm]) {
      const ready = await call<{ checks: Record<string, string> }>("GET", `${module.url}/readyz`);
      expect(ready).toEqual({
        status: 200,
        body: { status: "ready", checks: { database: "ok", dapr: "ok" } },
      });
    }
  });

  it("when an item is created and renamed in MDM, then a CRM profile interested in it shows each name in turn", async () => {
    const created = await call<Item>("POST", `${mdm.url}/items`, {
      sku: `SOFA-${run}`,
      name: "Corner sofa",
      category: "furniture",
      status: "active",
      price: { amount: 899, currency: "EUR" },
    });
    expect(created.status).toBe(201);
    const touchpoint = await call<{ profileId: string }>("POST", `${crm.url}/touchpoints`, {
      channel: "site_form",
      identity: { email: `sofa-${run}@example.com` },
      name: "Irina Volkova",
      interests: [created.body.id],
    });
    expect(touchpoint.status).toBe(201);
    const interestName = async () => {
      const profile = await call<Profile>(
        "GET",
        `${crm.url}/customers/${touchpoint.body.profileId}`,
      );
      return profile.body.interests[0]?.name;
    };
    await waitUntil(
      "CRM shows the catalog name",
      async () => (await interestName()) === "Corner sofa",
      { timeoutMs: 30_000 },
    );

    const renamed = await call<Item>("PUT", `${mdm.url}/items/${created.body.id}`, {
      version: 1,
      sku: `SOFA-${run}`,
      name: "Corner sofa XL",
      category: "furniture",
      status: "active",
    });
    expect(renamed.body.version).toBe(2);
    await waitUntil(
      "CRM shows the new name",
      async () => (await interestName()) === "Corner sofa XL",
      { timeoutMs: 30_000 },
    );
    const cached = await crmDb
      .collection("catalog_items")
      .findOne({ _id: created.body.id as never });
    expect(cached).toMatchObject({ name: "Corner sofa XL", version: 2 });
  });

  it("when a channel publishes touchpoint.recorded, then CRM files it into the person's profile", async () => {
    const email = `bus-${run}@example.com`;
    await publish("touchpoint.recorded", `tp-${run}-1`, {
      channel: "office_visit",
      identity: { email, phone: "+7 912 555 00 11" },
      name: "Pavel Orlov",
    });
    await publish("touchpoint.recorded", `tp-${run}-2`, {
      channel: "phone_call",
      identity: { phone: "8 (912) 555-00-11" },
    });
    const lookup = () =>
      call<{ customers: Profile[] }>(
        "GET",
        `${crm.url}/customers?email=${encodeURIComponent(email)}`,
      );
    await waitUntil(
      "both touchpoints in one profile",
      async () => (await lookup()).body.customers[0]?.touchpointCount === 2,
      {
        timeoutMs: 30_000,
      },
    );
    expect((await lookup()).body.customers).toHaveLength(1);
  });

  it("when the same touchpoint event is delivered twice, then the second delivery changes nothing", async () => {
    const email = `twice-${run}@example.com`;
    const event = { channel: "messenger", identity: { email }, name: "Olga Sokolova" };
    await publish("touchpoint.recorded", `tp-${run}-twice`, event);
    await publish("touchpoint.recorded", `tp-${run}-twice`, event);
    const lookup = () =>
      call<{ customers: Profile[] }>(
        "GET",
        `${crm.url}/customers?email=${encodeURIComponent(email)}`,
      );
    await waitUntil("the event applied", async () => (await lookup()).body.customers.length === 1, {
      timeoutMs: 30_000,
    });
    // A redelivery straight to the route, as Dapr does after a lost acknowledgement.
    const envelope = {
      specversion: "1.0",
      id: `tp-${run}-twice`,
      source: "site",
      type: "touchpoint.recorded",
      data: event,
    };
    const again = await call("POST", `${crm.url}/events/touchpoint.recorded`, envelope, {
      "content-type": "application/cloudevents+json",
    });
    expect(again).toEqual({ status: 200, body: { status: "SUCCESS" } });
    const duplicates = async () => {
      const metrics = await (await fetch(`${crm.url}/metrics`)).text();
      const line = metrics
        .split("\n")
        .find((l) =>
          l.startsWith(
            'symbiont_events_received_total{topic="touchpoint.recorded",result="duplicate"}',
          ),
        );
      return Number(line?.split(" ").at(-1) ?? 0);
    };
    await waitUntil("both repeats recognised", async () => (await duplicates()) >= 2, {
      timeoutMs: 30_000,
    });
    const { body } = await call<{ customers: Profile[] }>(
      "GET",
      `${crm.url}/customers?email=${encodeURIComponent(email)}`,
    );
    expect(body.customers.map((c) => c.touchpointCount)).toEqual([1]);
    expect(
      await crmDb
        .collection("touchpoints")
        .countDocuments({ _id: `event:tp-${run}-twice` as never }),
    ).toBe(1);
    expect(await crmDb.collection("profiles").countDocuments({ names: "Olga Sokolova" })).toBe(1);
  });

  it("when an event cannot be valid, then CRM answers DROP so Dapr dead-letters it, and stores nothing", async () => {
    const before = await crmDb.collection("touchpoints").countDocuments();
    const envelope = {
      specversion: "1.0",
      id: `bad-${run}`,
      source: "site",
      data: { channel: "fax", identity: {} },
    };
    const answer = await call("POST", `${crm.url}/events/touchpoint.recorded`, envelope, {
      "content-type": "application/cloudevents+json",
    });
    expect(answer).toEqual({ status: 200, body: { status: "DROP" } });
    expect(await crmDb.collection("touchpoints").countDocuments()).toBe(before);
  });

  it("when CRM changes profiles, then its events leave the outbox through the sidecar", async () => {
    await waitUntil(
      "CRM outbox drained",
      async () => (await crmDb.collection("outbox").countDocuments()) === 0,
      {
        timeoutMs: 30_000,
      },
    );
    const metrics = await (await fetch(`${crm.url}/metrics`)).text();
    expect(metrics).toMatch(
      /symbiont_events_published_total\{topic="customer.created",result="ok"\} [1-9]/,
    );
  });
});
