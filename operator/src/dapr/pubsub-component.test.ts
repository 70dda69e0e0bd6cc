import { describe, expect, it } from "vitest";
import { buildPubsubComponent } from "./pubsub-component.js";

const topics = (n: number) => Array.from({ length: n }, (_, i) => `topic.${i}`);

describe("the Redis pub/sub component's connection pool", () => {
  it.each([
    [0, "20"],
    [10, "30"],
    [40, "60"],
  ])("when the bus names %i topics, then the pool holds %s connections", (count, poolSize) => {
    const component = buildPubsubComponent({
      name: "acme-internal-bus",
      ordered: true,
      bus: { type: "redis", allowLossySettings: false },
      scopes: ["a", "b"],
      publishing: new Map([["a", topics(count)]]),
      subscribing: new Map([["b", topics(count).slice(0, 3)]]),
    });
    expect(component.spec.metadata).toContainEqual({ name: "poolSize", value: poolSize });
  });

  it("when the bus settings name a pool size, then that one is used", () => {
    const component = buildPubsubComponent({
      name: "acme-internal-bus",
      ordered: false,
      bus: { type: "redis", allowLossySettings: false, settings: { poolSize: "7" } },
      scopes: [],
      publishing: new Map(),
      subscribing: new Map(),
    });
    expect(component.spec.metadata.filter((m) => m.name === "poolSize")).toEqual([
      { name: "poolSize", value: "7" },
    ]);
  });
});
