import { describe, expect, it } from "vitest";
import { redeliveryConditions, redeliverySpecSchema } from "./redelivery.js";

const spec = (selector: object, rateLimit?: object) => ({
  ecosystemRef: { name: "acme" },
  selector,
  ...(rateLimit ? { rateLimit } : {}),
});

describe("a Redelivery's spec, as the gateway reads it", () => {
  it("when the selector names a partner, then the rate limit defaults to 10 per second", () => {
    expect(redeliverySpecSchema.parse(spec({ partner: "sms" })).rateLimit).toEqual({
      perSecond: 10,
    });
  });

  it.each([
    { what: "an empty selector", input: spec({}), error: /spec.selector is empty/ },
    { what: "all: false alone", input: spec({ all: false }), error: /spec.selector is empty/ },
    { what: "a rate of 0", input: spec({ all: true }, { perSecond: 0 }), error: /perSecond/ },
    { what: "a time that is not RFC 3339", input: spec({ since: "yesterday" }), error: /since/ },
  ])("when given $what, then it is refused", ({ input, error }) => {
    const parsed = redeliverySpecSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(
      parsed.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    ).toMatch(error);
  });
});

describe("a Redelivery's conditions", () => {
  it.each([
    {
      progress: { matched: 3, replayed: 1, failed: 0 },
      phase: "Running" as const,
      ready: ["False", "Running"],
      complete: ["False", "Running"],
      failed: "False",
    },
    {
      progress: { matched: 3, replayed: 3, failed: 0 },
      phase: "Finished" as const,
      ready: ["True", "Replayed"],
      complete: ["True", "Replayed"],
      failed: "False",
    },
    {
      progress: { matched: 3, replayed: 2, failed: 1 },
      phase: "Finished" as const,
      ready: ["False", "ReplayFailed"],
      complete: ["True", "ReplayFailed"],
      failed: "True",
    },
    {
      progress: { matched: 0, replayed: 0, failed: 0 },
      phase: "Finished" as const,
      ready: ["True", "NothingMatched"],
      complete: ["True", "NothingMatched"],
      failed: "False",
    },
  ])(
    "with $progress $phase, then Ready $ready, Complete $complete, Failed $failed",
    ({ progress, phase, ready, complete, failed }) => {
      const conditions = redeliveryConditions(progress, phase);
      const of = (type: string) => conditions.find((c) => c.type === type)!;
      expect([of("Ready").status, of("Ready").reason]).toEqual(ready);
      expect([of("Complete").status, of("Complete").reason]).toEqual(complete);
      expect(of("Failed").status).toBe(failed);
    },
  );
});
