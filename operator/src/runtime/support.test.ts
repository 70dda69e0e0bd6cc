import { describe, expect, it } from "vitest";
import { parseDurationMs } from "../controllers/shared/duration.js";
import { renderTopicScopes } from "../dapr/pubsub-component.js";
import { subscriptionName } from "../dapr/names.js";
import { TokenBucket } from "../kube/token-bucket.js";
import { describeError, ReconcileError } from "./reconcile-error.js";
import { isSubset } from "./subset-equal.js";

describe("isSubset", () => {
  it.each([
    { desired: { a: 1 }, actual: { a: 1, b: 2 }, expected: true },
    { desired: { a: { b: [1, 2] } }, actual: { a: { b: [1, 2], c: 3 } }, expected: true },
    { desired: { a: [1, 2] }, actual: { a: [1, 2, 3] }, expected: false },
    { desired: { a: 1 }, actual: { a: 2 }, expected: false },
    { desired: { a: "1" }, actual: { a: 1 }, expected: true },
    { desired: { a: { b: 1 } }, actual: {}, expected: false },
    {
      desired: [{ name: "x", v: 1 }],
      actual: [{ name: "x", v: 1, defaulted: true }],
      expected: true,
    },
  ])("$desired within $actual: $expected", ({ desired, actual, expected }) => {
    expect(isSubset(desired, actual)).toBe(expected);
  });
});

describe("TokenBucket", () => {
  it("lets a burst through, then spaces requests at the rate", () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    expect(bucket.reserve()).toBeCloseTo(100);
    now = 1000;
    expect(bucket.reserve()).toBe(0);
  });
});

describe("parseDurationMs", () => {
  it.each([
    ["500ms", 500],
    ["1s", 1000],
    ["1m30s", 90_000],
    ["24h", 86_400_000],
    ["1.5s", 1500],
  ])("%s = %d ms", (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(["", "5", "1d", "1s junk"])("refuses %j", (text) =>
    expect(() => parseDurationMs(text)).toThrow(/not a duration/),
  );
});

describe("names", () => {
  it("a Subscription name is a valid object name, stable, and distinct per topic", () => {
    const a = subscriptionName("crm", "internal", "mdm.item.changed");
    expect(a).toMatch(/^crm-mdm-item-changed-[0-9a-f]{6}$/);
    expect(subscriptionName("crm", "internal", "mdm.item.changed")).toBe(a);
    expect(subscriptionName("crm", "internal", "mdm_item.changed")).not.toBe(a);
  });

  it("topic scopes render sorted, with empty lists meaning no topic", () => {
    expect(
      renderTopicScopes(
        new Map([
          ["b", ["y", "x"]],
          ["a", []],
        ]),
      ),
    ).toBe("a=;b=x,y");
  });
});

describe("describeError", () => {
  it("keeps a ReconcileError's reason and marks other errors retryable", () => {
    expect(describeError(new ReconcileError("NameConflict", "taken", false))).toEqual({
      reason: "NameConflict",
      message: "taken",
      terminal: false,
    });
    expect(describeError(new Error("boom"))).toMatchObject({
      reason: "ReconcileFailed",
      terminal: false,
    });
  });
});
