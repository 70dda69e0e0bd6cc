import { describe, expect, it } from "vitest";
import type { IncomingCloudEvent } from "../events/cloud-event.js";
import { testContext } from "../testing/test-context.js";
import { testPartner } from "../testing/test-file.js";
import { replayDeadLetters } from "./dead-letters.js";
import { handleBusMessage, handleDeadLetter } from "./handle-bus-message.js";

// Whose delivery it was: the ledger keys every entry by kind, target, topic and message id,
// so a message is recorded once per subscriber and topic, and every subscriber's dead
// letter is kept.

const corporate = "acme-corporate-bus";
const event = (id: string, topic: string, data: unknown = { n: 1 }): IncomingCloudEvent => ({
  id,
  specversion: "1.0",
  source: "test",
  type: topic,
  topic,
  pubsubname: corporate,
  datacontenttype: "application/json",
  data,
});

describe("whose delivery it was", () => {
  it("when one partner consumes two topics and the same message id comes on both, then both are queued", async () => {
    const { context } = testContext({
      partners: [testPartner("sms", ["order.created", "order.paid"])],
    });
    const first = await handleBusMessage(context, "order.created", event("m-1", "order.created"));
    const second = await handleBusMessage(context, "order.paid", event("m-1", "order.paid"));
    expect([first, second]).toEqual([
      { status: "SUCCESS", outcome: "queued" },
      { status: "SUCCESS", outcome: "queued" },
    ]);
    expect(context.ledger.pending("partner", "sms").map((e) => e.topic)).toEqual([
      "order.created",
      "order.paid",
    ]);
  });

  it("when a module dead-letters a message the gateway also took on that topic, then it is recorded as the module's dead letter", async () => {
    const { context } = testContext({ partners: [testPartner("sms", ["notification.sms"])] });
    await handleBusMessage(context, "notification.sms", event("m-2", "notification.sms"));
    const answer = await handleDeadLetter(
      context,
      "acme-cabinet",
      "notification.sms",
      event("m-2", "notification.sms"),
    );
    expect(answer).toEqual({ status: "SUCCESS", outcome: "dropped" });
    expect(context.ledger.get("drop:acme-cabinet:notification.sms:m-2")).toMatchObject({
      state: "dead-lettered",
      target: "acme-cabinet",
      lastError: expect.stringMatching(/acme-cabinet could not take it/),
    });
    // The module's dead letter delivered again (Dapr redelivers) is recognised.
    expect(
      await handleDeadLetter(
        context,
        "acme-cabinet",
        "notification.sms",
        event("m-2", "notification.sms"),
      ),
    ).toEqual({ status: "SUCCESS", outcome: "duplicate" });
  });

  it("when two modules dead-letter the same message, then each has its own dead letter", async () => {
    const { context } = testContext({});
    for (const module of ["acme-crm", "acme-analytics"])
      await handleDeadLetter(context, module, "customer.merged", event("m-3", "customer.merged"));
    expect(
      [...context.ledger.entries()].filter((e) => e.state === "dead-lettered").map((e) => e.key),
    ).toEqual(["drop:acme-crm:customer.merged:m-3", "drop:acme-analytics:customer.merged:m-3"]);
  });

  it("when the gateway's own dead letter comes back for a message it recorded, then it is recognised and nothing is queued twice", async () => {
    const { context } = testContext({ partners: [testPartner("sms", ["notification.sms"])] });
    await handleBusMessage(context, "notification.sms", event("m-4", "notification.sms"));
    const answer = await handleDeadLetter(
      context,
      "acme-bus-gateway",
      "notification.sms",
      event("m-4", "notification.sms"),
    );
    expect(answer).toEqual({ status: "SUCCESS", outcome: "duplicate" });
    expect(context.ledger.size).toBe(1);
  });

  it("when a replayed dead letter fails again, then it is a dead letter again with the new attempt recorded, and replayable", async () => {
    const { context, store, published } = testContext({});
    const dead = event("m-5", "customer.merged", { customer: "c-1" });
    await handleDeadLetter(context, "acme-crm", "customer.merged", dead);
    const [replayed] = await replayDeadLetters(context, {});
    expect(replayed).toMatchObject({ result: "republished" });
    expect(published.map((p) => [p.topic, p.event.id, p.event.data])).toEqual([
      ["customer.merged", "m-5", { customer: "c-1" }],
    ]);
    const again = await handleDeadLetter(context, "acme-crm", "customer.merged", dead);
    expect(again).toEqual({ status: "SUCCESS", outcome: "dropped" });
    const key = "drop:acme-crm:customer.merged:m-5";
    expect(context.ledger.get(key)).toMatchObject({
      state: "dead-lettered",
      attempts: 1,
      replays: 1,
    });
    expect(store.records.filter((r) => r.key === key).map((r) => r.state)).toEqual([
      "dead-lettered",
      "delivered",
      "dead-lettered",
    ]);
    // The second replay still carries the message.
    await replayDeadLetters(context, {});
    expect(published.map((p) => p.event.data)).toEqual([{ customer: "c-1" }, { customer: "c-1" }]);
  });

  it("when the module drops a replayed message again before the replay is recorded, then its dead letter waits for that record and is kept as a new attempt", async () => {
    const { context, published } = testContext({});
    const dead = event("m-6", "customer.merged", { customer: "c-2" });
    await handleDeadLetter(context, "acme-crm", "customer.merged", dead);
    // The subscriber drops the republished message at once: its dead letter reaches the
    // gateway while the publish is still being acknowledged.
    let comesBack: Promise<unknown> | undefined;
    const publish = context.bus.publish.bind(context.bus);
    context.bus.publish = async (pubsub, topic, cloudEvent) => {
      await publish(pubsub, topic, cloudEvent);
      comesBack = handleDeadLetter(context, "acme-crm", "customer.merged", dead);
      await new Promise((resolve) => setTimeout(resolve, 10));
    };
    const [replayed] = await replayDeadLetters(context, {});
    expect(replayed).toMatchObject({ result: "republished" });
    expect(await comesBack).toEqual({ status: "SUCCESS", outcome: "dropped" });
    expect(published).toHaveLength(1);
    expect(context.ledger.get("drop:acme-crm:customer.merged:m-6")).toMatchObject({
      state: "dead-lettered",
      attempts: 1,
      replays: 1,
    });
  });
});
