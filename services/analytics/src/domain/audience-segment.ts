import { createHash } from "node:crypto";
import type { AnalyticsState } from "./analytics-state.js";
import { customerView } from "./customer-view.js";
import { matchOffers } from "./match-offers.js";
import type { OfferRule } from "./offer-rule.js";

// An audience segment for the ads partner (MISSION T2): the people a next-offer rule matches
// now, each as hashes of the identifiers the ad platform matches on. Only what the person
// allowed leaves: a hashed e-mail with e-mail consent, a hashed phone with SMS consent;
// someone with neither is not exported at all.

export interface SegmentMember {
  customerId: string;
  emailSha256?: string;
  phoneSha256?: string;
}

export interface Segment {
  name: string;
  members: SegmentMember[];
  /** Matched, but left out: no consent for any identifier. */
  withoutConsent: number;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export function hashedIdentifiers(
  keys: readonly string[],
  consent: { email: boolean; sms: boolean },
) {
  const email = keys.find((key) => key.startsWith("email:"))?.slice("email:".length);
  const phone = keys.find((key) => key.startsWith("phone:"))?.slice("phone:".length);
  return {
    ...(email && consent.email ? { emailSha256: sha256(email) } : {}),
    ...(phone && consent.sms ? { phoneSha256: sha256(`+${phone}`) } : {}),
  };
}

export function audienceSegment(state: AnalyticsState, rule: OfferRule, nowMs: number): Segment {
  const members: SegmentMember[] = [];
  let withoutConsent = 0;
  const ids = [...state.profiles.keys()].sort();
  for (const id of ids) {
    const view = customerView(state, id);
    if (!view || matchOffers(view, [{ ...rule, enabled: true }], nowMs).length === 0) continue;
    const hashes = hashedIdentifiers(view.profile.keys, view.profile.consent);
    if (Object.keys(hashes).length === 0) withoutConsent++;
    else members.push({ customerId: id, ...hashes });
  }
  return { name: rule.name, members, withoutConsent };
}
