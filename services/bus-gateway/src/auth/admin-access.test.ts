import { describe, expect, it } from "vitest";
import {
  cachingReviewer,
  readLedger,
  replay,
  staticTokenReviewer,
  type AccessReviewer,
  type Verdict,
} from "./admin-access.js";

function countingReviewer(answers: Verdict[]): AccessReviewer & { calls: number } {
  const reviewer = {
    describe: "test",
    calls: 0,
    async review() {
      reviewer.calls++;
      return answers[Math.min(reviewer.calls - 1, answers.length - 1)]!;
    },
  };
  return reviewer;
}

describe("admin access", () => {
  it("when an allowed token is reviewed again within the window, then the API is not asked again; after it, it is", async () => {
    let now = 0;
    const inner = countingReviewer([{ kind: "allowed", user: "ann" }]);
    const reviewer = cachingReviewer(inner, 10_000, () => now);
    await reviewer.review("t", readLedger);
    await reviewer.review("t", readLedger);
    expect(inner.calls).toBe(1);
    await reviewer.review("t", replay);
    expect(inner.calls).toBe(2);
    now = 10_001;
    await reviewer.review("t", readLedger);
    expect(inner.calls).toBe(3);
  });

  it("when a token is refused, then the refusal is not remembered (a binding just granted works at once)", async () => {
    const inner = countingReviewer([
      { kind: "forbidden", user: "ann", reason: "no rule" },
      { kind: "allowed", user: "ann" },
    ]);
    const reviewer = cachingReviewer(inner, 10_000, () => 0);
    expect((await reviewer.review("t", replay)).kind).toBe("forbidden");
    expect((await reviewer.review("t", replay)).kind).toBe("allowed");
    expect(inner.calls).toBe(2);
  });

  it.each([
    ["the-admin-token-123", "allowed"],
    ["the-admin-token-12", "unauthenticated"],
    ["", "unauthenticated"],
    ["THE-ADMIN-TOKEN-123", "unauthenticated"],
  ])(
    "when the static admin token is compared with %j, then the caller is %s",
    async (given, kind) => {
      expect((await staticTokenReviewer("the-admin-token-123").review(given, replay)).kind).toBe(
        kind,
      );
    },
  );
});
