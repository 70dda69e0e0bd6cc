import { describe, expect, it } from "vitest";
import { mergeConditions } from "./conditions.js";

describe("mergeConditions", () => {
  const t0 = new Date("2026-01-01T00:00:00Z");
  const t1 = new Date("2026-01-01T00:05:00Z");
  it("keeps lastTransitionTime while the status holds, moves it when the status flips", () => {
    const first = mergeConditions(
      [],
      [{ type: "Ready", status: "False", reason: "A", message: "m" }],
      1,
      t0,
    );
    const held = mergeConditions(
      first,
      [{ type: "Ready", status: "False", reason: "B", message: "n" }],
      2,
      t1,
    );
    expect(held[0]).toMatchObject({
      reason: "B",
      lastTransitionTime: "2026-01-01T00:00:00Z",
      observedGeneration: 2,
    });
    const flipped = mergeConditions(
      held,
      [{ type: "Ready", status: "True", reason: "Ready", message: "ok" }],
      2,
      t1,
    );
    expect(flipped[0]?.lastTransitionTime).toBe("2026-01-01T00:05:00Z");
  });
});
