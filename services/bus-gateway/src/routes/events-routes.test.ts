import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testContext } from "../testing/test-context.js";
import { testPartner } from "../testing/test-file.js";
import { eventsRoutes } from "./events-routes.js";

// Poison messages: what can never be taken is recorded as the gateway's own dead letter and
// acknowledged (200 SUCCESS), so Dapr stops redelivering it and an ordered topic goes on.
// The store failing is the one case Dapr must retry.

const maxBodyBytes = 64 * 1024;
const quiet = { warn: () => undefined, debug: () => undefined };
const appToken = "sidecar-token";

/** A gateway context with one partner, its events routes served on a free port. */
function servedGateway() {
  const test = testContext({ partners: [testPartner("sms", ["notification.sms"])] });
  let base = "";
  let close: () => void = () => undefined;
  beforeAll(async () => {
    const app = express().use(eventsRoutes(test.context, { maxBodyBytes, appToken, log: quiet }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());
  return { ...test, url: () => base };
}

describe("messages the gateway can never take", () => {
  const { context, store, url } = servedGateway();

  const post = (path: string, body: string) =>
    fetch(`${url()}${path}`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json", "dapr-api-token": appToken },
      body,
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as unknown }));
  const cloudEvent = (id: string, data: unknown) =>
    JSON.stringify({ id, specversion: "1.0", pubsubname: "acme-corporate-bus", data });

  it.each([
    [
      "over the body limit",
      cloudEvent("big-1", { text: "x".repeat(300 * 1024) }),
      /^TooLarge: over the body limit of 65536 bytes \(30\d{4} bytes, sha256 [0-9a-f]{64}\)$/,
    ],
    ["not JSON", "{ not json", /^NotJson: /],
    [
      "a JSON value without an id",
      JSON.stringify({ specversion: "1.0", data: 1 }),
      /^NotACloudEvent: id: /,
    ],
    [
      "an event with a numeric id",
      JSON.stringify({ id: 42, pubsubname: "acme-corporate-bus" }),
      /^NotACloudEvent: id: /,
    ],
  ])(
    "when a message %s arrives, then it is acknowledged and recorded as a dead letter with the reason",
    async (_name, body, reason) => {
      const before = store.records.length;
      const answer = await post("/events/notification.sms", body);
      expect(answer).toEqual({ status: 200, body: { status: "SUCCESS", outcome: "dropped" } });
      const added = store.records.slice(before);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({
        kind: "drop",
        target: "acme-bus-gateway",
        topic: "notification.sms",
        state: "dead-lettered",
        lastError: expect.stringMatching(reason),
      });
      expect((added[0]!.payload ?? "").length).toBeLessThanOrEqual(4096 * 3 + 2);
      // Redelivered, it is the same message: recognised, nothing new recorded.
      expect(await post("/events/notification.sms", body)).toEqual({
        status: 200,
        body: { status: "SUCCESS", outcome: "duplicate" },
      });
      expect(store.records.length).toBe(before + 1);
    },
  );

  it("when a topic the gateway does not serve reaches it, then it is recorded with the reason instead of being dropped", async () => {
    const answer = await post("/events/unknown.topic", cloudEvent("u-1", { a: 1 }));
    expect(answer).toEqual({ status: 200, body: { status: "SUCCESS", outcome: "dropped" } });
    expect(context.ledger.get("drop:acme-bus-gateway:unknown.topic:u-1")).toMatchObject({
      lastError: expect.stringMatching(
        /the gateway does not take unknown.topic from acme-corporate-bus/,
      ),
    });
  });

  it("when the message behind a poison message arrives, then it is queued", async () => {
    const answer = await post("/events/notification.sms", cloudEvent("ok-1", { n: 1 }));
    expect(answer).toEqual({ status: 200, body: { status: "SUCCESS", outcome: "queued" } });
  });

  it("when the ledger is down, then a poison message is answered RETRY and nothing is lost", async () => {
    store.failing = true;
    try {
      const answer = await post("/events/notification.sms", "{ also not json");
      expect(answer).toMatchObject({ status: 500, body: { status: "RETRY" } });
    } finally {
      store.failing = false;
    }
    expect(await post("/events/notification.sms", "{ also not json")).toMatchObject({
      status: 200,
      body: { outcome: "dropped" },
    });
  });
});

// Dapr's bulk subscribe: one call carries several messages, each answered on its own.
describe("bulk deliveries", () => {
  const { context, store, url } = servedGateway();

  const event = (id: string, data: unknown) => ({
    id,
    specversion: "1.0",
    type: "notification.sms",
    pubsubname: "acme-corporate-bus",
    data,
  });
  /** The envelope daprd 1.18 posts for `bulkSubscribe` (pkg/runtime/pubsub, bulk events). */
  const bulk = (events: unknown[]) =>
    JSON.stringify({
      id: "b-1",
      type: "com.dapr.event.sent.bulk",
      topic: "notification.sms",
      pubsubname: "acme-corporate-bus",
      metadata: {},
      entries: events.map((e, i) => ({
        entryId: `entry-${i}`,
        event: e,
        contentType: "application/cloudevents+json",
        metadata: {},
      })),
    });
  const post = (body: string) =>
    fetch(`${url()}/events/notification.sms`, {
      method: "POST",
      headers: { "content-type": "application/json", "dapr-api-token": appToken },
      body,
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as unknown }));
  const statuses = (...list: string[]) => ({
    status: 200,
    body: { statuses: list.map((status, i) => ({ entryId: `entry-${i}`, status })) },
  });

  it("when a bulk delivery carries messages and poison, then each is answered SUCCESS, the messages queued in their order and the poison recorded", async () => {
    const answer = await post(
      bulk([
        event("m-1", { n: 1 }),
        { specversion: "1.0", data: "no id" },
        event("m-2", { text: "x".repeat(maxBodyBytes) }),
        event("m-3", { n: 3 }),
      ]),
    );
    expect(answer).toEqual(statuses("SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS"));
    const queued = context.ledger.pending("partner", "sms").map((entry) => entry.messageId);
    expect(queued).toEqual(["m-1", "m-3"]);
    const drops = [...context.ledger.entries()].filter((entry) => entry.kind === "drop");
    expect(drops.map((entry) => entry.lastError)).toEqual([
      expect.stringMatching(/^NotACloudEvent: id: /),
      expect.stringMatching(/^TooLarge: over the body limit of 65536 bytes/),
    ]);
  });

  it("when a body over one message's limit comes as a single CloudEvent, then it is read only to that limit and recorded as too large, even if it looks like a bulk delivery", async () => {
    const batch = bulk([
      event("s-1", { text: "x".repeat(40 * 1024) }),
      event("s-2", { text: "y".repeat(40 * 1024) }),
    ]);
    const answer = await fetch(`${url()}/events/notification.sms`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json", "dapr-api-token": appToken },
      body: batch,
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as unknown }));
    expect(answer).toEqual({ status: 200, body: { status: "SUCCESS", outcome: "dropped" } });
    expect(context.ledger.pending("partner", "sms").map((entry) => entry.messageId)).not.toContain(
      "s-1",
    );
    // The same entries as the bulk delivery they are (JSON) are taken, each within its limit.
    expect(await post(batch)).toEqual(statuses("SUCCESS", "SUCCESS"));
    expect(context.ledger.pending("partner", "sms").map((entry) => entry.messageId)).toEqual(
      expect.arrayContaining(["s-1", "s-2"]),
    );
  });

  it("when the ledger is down during a bulk delivery, then every entry is answered RETRY, and the redelivery queues each once", async () => {
    const batch = bulk([event("r-1", { n: 1 }), event("r-2", { n: 2 })]);
    store.failing = true;
    try {
      expect(await post(batch)).toEqual(statuses("RETRY", "RETRY"));
    } finally {
      store.failing = false;
    }
    expect(context.ledger.get("partner:sms:notification.sms:r-1")).toBeUndefined();
    expect(await post(batch)).toEqual(statuses("SUCCESS", "SUCCESS"));
    expect(context.ledger.get("partner:sms:notification.sms:r-1")).toMatchObject({
      state: "accepted",
    });
    expect(await post(batch)).toEqual(statuses("SUCCESS", "SUCCESS"));
    const queued = context.ledger.pending("partner", "sms").map((entry) => entry.messageId);
    expect(queued.filter((id) => id.startsWith("r-"))).toEqual(["r-1", "r-2"]);
  });
});
