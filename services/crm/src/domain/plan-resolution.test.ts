import { describe, expect, it } from "vitest";
import { identityKeys } from "./identity-keys.js";
import { planResolution, type ResolutionState } from "./plan-resolution.js";
import { pairId, type Profile } from "./profile.js";
import { emptyProfile } from "./profile-changes.js";
import type { Touchpoint, TouchpointInput } from "./touchpoint.js";

function touchpoint(id: string, identity: TouchpointInput["identity"]): Touchpoint {
  return {
    id,
    channel: "site_form",
    enteredBy: { kind: "auto" },
    identity,
    occurredAt: "2026-01-01T00:00:00.000Z",
    keys: identityKeys(identity),
  };
}

function profile(id: string, createdAt: string): Profile {
  return emptyProfile(id, createdAt);
}

function ids() {
  let n = 0;
  return () => `new-${++n}`;
}

const empty: ResolutionState = {
  keyOwners: new Map(),
  profiles: new Map(),
  blockedPairs: new Set(),
};

describe("planResolution", () => {
  it("when touchpoints share no key, then each makes its own new profile", () => {
    const plans = planResolution(
      [touchpoint("t1", { email: "a@x.io" }), touchpoint("t2", { email: "b@x.io" })],
      empty,
      ids(),
    );
    expect(plans.map((p) => [p.isNew, p.touchpoints.map((t) => t.id), p.claimKeys])).toEqual([
      [true, ["t1"], ["email:a@x.io"]],
      [true, ["t2"], ["email:b@x.io"]],
    ]);
  });

  it("when touchpoints link a-b by e-mail and b-c by phone, then all three are one new profile (transitive)", () => {
    const plans = planResolution(
      [
        touchpoint("t1", { email: "a@x.io" }),
        touchpoint("t2", { email: "A@X.io", phone: "+7 912 000 00 01" }),
        touchpoint("t3", { phone: "8 912 000 00 01", loyaltyCard: "L-777" }),
      ],
      empty,
      ids(),
    );
    expect(plans).toHaveLength(1);
    expect(plans[0]!.touchpoints.map((t) => t.id).sort()).toEqual(["t1", "t2", "t3"]);
    expect(plans[0]!.claimKeys.sort()).toEqual(["card:L777", "email:a@x.io", "phone:79120000001"]);
  });

  it("when one touchpoint carries keys of two known profiles, then the older one absorbs the younger", () => {
    const older = profile("p-old", "2025-01-01T00:00:00.000Z");
    const younger = profile("p-young", "2025-06-01T00:00:00.000Z");
    const state: ResolutionState = {
      keyOwners: new Map([
        ["email:a@x.io", "p-young"],
        ["phone:79120000001", "p-old"],
      ]),
      profiles: new Map([
        [older.id, older],
        [younger.id, younger],
      ]),
      blockedPairs: new Set(),
    };
    const [plan, ...rest] = planResolution(
      [touchpoint("t1", { email: "a@x.io", phone: "+79120000001", cookieId: "ck" })],
      state,
      ids(),
    );
    expect(rest).toEqual([]);
    expect(plan).toMatchObject({
      profileId: "p-old",
      isNew: false,
      absorbed: ["p-young"],
      claimKeys: [],
    });
    expect(plan!.rule).toBe("email+phone");
  });

  it("when a touchpoint's keys belong to a pair that was unmerged, then no merge happens and it joins its strongest key's owner", () => {
    const a = profile("p-a", "2025-01-01T00:00:00.000Z");
    const b = profile("p-b", "2025-02-01T00:00:00.000Z");
    const state: ResolutionState = {
      keyOwners: new Map([
        ["card:L777", "p-b"],
        ["email:a@x.io", "p-a"],
      ]),
      profiles: new Map([
        [a.id, a],
        [b.id, b],
      ]),
      blockedPairs: new Set([pairId("p-a", "p-b")]),
    };
    const plans = planResolution(
      [touchpoint("t1", { email: "a@x.io", loyaltyCard: "L-777", phone: "+79120000009" })],
      state,
      ids(),
    );
    expect(plans.every((p) => p.absorbed.length === 0)).toBe(true);
    const withTouchpoint = plans.find((p) => p.touchpoints.length > 0)!;
    expect(withTouchpoint.profileId).toBe("p-b");
    expect(withTouchpoint.claimKeys).toEqual(["phone:79120000009"]);
  });

  it("when the same input is planned twice, then the plans are equal (deterministic)", () => {
    const batch = [
      touchpoint("t1", { email: "a@x.io" }),
      touchpoint("t2", { email: "a@x.io", phone: "+79120000001" }),
      touchpoint("t3", { email: "c@x.io" }),
    ];
    expect(planResolution(batch, empty, ids())).toEqual(planResolution(batch, empty, ids()));
  });
});
