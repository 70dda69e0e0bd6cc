import { describe, expect, it } from "vitest";
import { identityKeys } from "./identity-keys.js";
import type { Profile } from "./profile.js";
import { emptyProfile, holderAfterUndo, withAbsorbed, withTouchpoints } from "./profile-changes.js";
import type { Touchpoint, TouchpointInput } from "./touchpoint.js";

const t0 = "2026-01-01T00:00:00.000Z";

function tp(
  id: string,
  occurredAt: string,
  extra: Partial<TouchpointInput> & Pick<TouchpointInput, "identity">,
): Touchpoint {
  return {
    id,
    channel: "site_form",
    enteredBy: { kind: "auto" },
    occurredAt,
    keys: identityKeys(extra.identity),
    ...extra,
  };
}

describe("profile changes", () => {
  it("when two touchpoints state consent for one channel, then the later statement wins whatever the arrival order", () => {
    const later = tp("t2", "2026-01-03T00:00:00.000Z", {
      identity: { email: "a@x.io" },
      consent: { sms: false },
    });
    const earlier = tp("t1", "2026-01-02T00:00:00.000Z", {
      identity: { email: "a@x.io" },
      consent: { sms: true },
    });
    const profile = withTouchpoints(emptyProfile("p", t0), [later, earlier], t0);
    expect(profile.consent.sms).toEqual({
      granted: false,
      at: later.occurredAt,
      source: "touchpoint:t2",
    });
  });

  it("when touchpoints state a preferred channel, then the later statement wins, a merge keeps the newest, and an undo gives it back", () => {
    const sms = tp("t1", "2026-01-02T00:00:00.000Z", {
      identity: { phone: "+79160000001" },
      preferredChannel: "sms",
    });
    const messenger = tp("t2", "2026-01-03T00:00:00.000Z", {
      identity: { phone: "+79160000001" },
      preferredChannel: "messenger",
    });
    const profile = withTouchpoints(emptyProfile("p", t0), [messenger, sms], t0);
    expect(profile.preferredChannel).toEqual({
      channel: "messenger",
      at: messenger.occurredAt,
      source: "touchpoint:t2",
    });
    const survivor = withTouchpoints(emptyProfile("s", t0), [sms], t0);
    const absorbed = withTouchpoints(emptyProfile("a", t0), [messenger], t0);
    const merged = withAbsorbed(survivor, [absorbed], t0);
    expect(merged.preferredChannel?.channel).toBe("messenger");
    const undone = holderAfterUndo(
      merged,
      { profiles: [survivor, absorbed], keyOwners: [], touchpointOwners: [] },
      t0,
    );
    expect(undone.preferredChannel?.channel).toBe("sms");
  });

  it("when a touchpoint only repeats what the profile knows, then the version stays and the counter grows", () => {
    const first = withTouchpoints(
      emptyProfile("p", t0),
      [tp("t1", t0, { identity: { email: "a@x.io" }, name: "Ann" })],
      t0,
    );
    const again = withTouchpoints(
      first,
      [tp("t2", t0, { identity: { email: "a@x.io" }, name: "Ann" })],
      t0,
    );
    expect([first.version, again.version, again.touchpointCount]).toEqual([1, 1, 2]);
  });

  it("when a profile is merged and the merge undone, then the holder is as before plus what came after", () => {
    const survivor = withTouchpoints(
      emptyProfile("s", t0),
      [tp("t1", t0, { identity: { email: "s@x.io" }, name: "Sam" })],
      t0,
    );
    const absorbed = withTouchpoints(
      emptyProfile("a", t0),
      [
        tp("t2", "2026-01-02T00:00:00.000Z", {
          identity: { loyaltyCard: "L-1234" },
          name: "Sammy",
          consent: { email: true },
        }),
      ],
      t0,
    );
    const merged = withAbsorbed(survivor, [absorbed], t0);
    expect(merged.keys.sort()).toEqual(["card:L1234", "email:s@x.io"]);
    const after = withTouchpoints(
      merged,
      [tp("t3", "2026-01-05T00:00:00.000Z", { identity: { phone: "+79120000001" } })],
      t0,
    );
    const undone: Profile = holderAfterUndo(
      after,
      {
        profiles: [survivor, absorbed],
        keyOwners: [{ key: "card:L1234", profileId: "a" }],
        touchpointOwners: [{ touchpointId: "t2", profileId: "a" }],
      },
      t0,
    );
    expect(undone.keys.sort()).toEqual(["email:s@x.io", "phone:79120000001"]);
    expect(undone.names).toEqual(["Sam"]);
    expect(undone.consent).toEqual({});
    expect(undone.touchpointCount).toBe(2);
    expect(undone.version).toBeGreaterThan(after.version);
  });
});
