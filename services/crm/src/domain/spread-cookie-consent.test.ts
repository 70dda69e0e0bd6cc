import { describe, expect, it } from "vitest";
import type { Profile } from "./profile.js";
import { emptyProfile } from "./profile-changes.js";
import { latestCookieStatements, withCookieConsent } from "./spread-cookie-consent.js";

const t0 = "2026-01-01T00:00:00.000Z";
const t1 = "2026-01-02T00:00:00.000Z";
const t2 = "2026-01-03T00:00:00.000Z";
const now = "2026-01-04T00:00:00.000Z";

const profile = (id: string, hints: string[], extra: Partial<Profile> = {}): Profile => ({
  ...emptyProfile(id, t0),
  version: 1,
  hints,
  ...extra,
});
const refusal = { hint: "cookie:c-1", granted: false, at: t2, source: "touchpoint:tp-2" };

describe("a browser's cookie consent over its profiles", () => {
  it("when a browser withdraws its consent, then every profile its cookie links gets the refusal and a new version", () => {
    const visits = [profile("a", ["cookie:c-1"]), profile("b", ["cookie:c-1", "cookie:c-9"])];
    const changed = withCookieConsent(visits, [refusal], now);
    expect(changed.map((p) => [p.id, p.consent.cookies, p.version])).toEqual([
      ["a", { granted: false, at: t2, source: "touchpoint:tp-2" }, 2],
      ["b", { granted: false, at: t2, source: "touchpoint:tp-2" }, 2],
    ]);
  });

  it.each([
    ["another browser's profile", profile("c", ["cookie:c-2"])],
    [
      "a profile with a later statement",
      profile("d", ["cookie:c-1"], {
        consent: { cookies: { granted: true, at: "2026-01-05T00:00:00.000Z", source: "api" } },
      }),
    ],
    [
      "a profile that says the same already",
      profile("e", ["cookie:c-1"], {
        consent: { cookies: { granted: false, at: t1, source: "x" } },
      }),
    ],
    ["a merged profile", profile("f", ["cookie:c-1"], { status: "merged", mergedInto: "a" })],
  ])("when the refusal meets %s, then it is left as it is", (_what, other) => {
    expect(withCookieConsent([other], [refusal], now)).toEqual([]);
  });

  it("when a batch holds an acceptance and a later refusal, then the later one wins in any order", () => {
    const acceptance = { ...refusal, granted: true, at: t1, source: "touchpoint:tp-1" };
    const [changed] = withCookieConsent([profile("a", ["cookie:c-1"])], [refusal, acceptance], now);
    expect(changed?.consent.cookies).toEqual({ granted: false, at: t2, source: "touchpoint:tp-2" });
    expect(changed?.version).toBe(2);
  });
});

describe("the browser's latest cookie statement", () => {
  it("when a visit comes after the banner's answer, then the answer a profile holds is the statement its other profiles get", () => {
    const answered = profile("a", ["cookie:c-1"], {
      consent: { cookies: { granted: true, at: t1, source: "touchpoint:tp-1" } },
    });
    const visit = profile("b", ["cookie:c-1"]);
    const statements = latestCookieStatements([answered, visit], [], new Set(["cookie:c-1"]));
    expect(statements).toEqual([
      { hint: "cookie:c-1", granted: true, at: t1, source: "touchpoint:tp-1" },
    ]);
    expect(withCookieConsent([answered, visit], statements, now).map((p) => p.id)).toEqual(["b"]);
  });

  it("when the batch holds a later statement than the profiles, then the batch's wins", () => {
    const answered = profile("a", ["cookie:c-1"], {
      consent: { cookies: { granted: true, at: t1, source: "touchpoint:tp-1" } },
    });
    expect(latestCookieStatements([answered], [refusal], new Set(["cookie:c-1"]))).toEqual([
      refusal,
    ]);
  });
});
