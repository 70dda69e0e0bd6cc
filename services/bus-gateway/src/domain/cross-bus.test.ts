import { describe, expect, it } from "vitest";
import { testContext } from "../testing/test-context.js";
import { crossBus } from "./cross-bus.js";

// A crossing's record says `delivered` only for what the other bus took.

const route = {
  name: "orders-out",
  topic: "order.created",
  direction: "export" as const,
  redact: [],
  sign: false,
};

describe("a route crossing", () => {
  it("when the publish to the other bus fails, then nothing is recorded as crossed and the redelivery crosses it", async () => {
    const { context, broker, published, store } = testContext({ routes: [route] });
    const message = { id: "o-1", payload: { order: 1 } };
    broker.down = true;
    await expect(crossBus(context, context.file.routes[0]!, message)).rejects.toThrow(
      /connection refused/,
    );
    expect(store.records).toEqual([]);
    broker.down = false;
    expect(await crossBus(context, context.file.routes[0]!, message)).toEqual({
      result: "forwarded",
    });
    expect(published.map((p) => [p.pubsub, p.topic, p.event.id])).toEqual([
      ["acme-corporate-bus", "order.created", "o-1"],
    ]);
    expect((await context.ledger.find("export:orders-out:order.created:o-1"))?.state).toBe(
      "delivered",
    );
  });
});
