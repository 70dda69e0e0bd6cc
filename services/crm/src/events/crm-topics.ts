import type { OutgoingEvent } from "@symbiont/service-kit";
import type { MergeActor, MergeRecord, Profile } from "../domain/profile.js";

// Topics CRM publishes and consumes on the internal bus (docs/module-contract.md).
export const customerCreatedTopic = "customer.created";
export const customerMergedTopic = "customer.merged";
export const customerUpdatedTopic = "customer.updated";
export const touchpointRecordedTopic = "touchpoint.recorded";
export const itemChangedTopic = "mdm.item.changed";
export { ssoLoginTopic } from "@symbiont/contracts";

/**
 * A profile as CRM's events carry it: the stored profile plus `accounts`, the person's
 * accounts at the ecosystem's sign-in (the `sso:` keys without the prefix: `ssoAccount` of the
 * contracts). The export routes remove `keys` but let `accounts` out, so the
 * user cabinet can tell which profile is the signed-in person's: an SSO subject is an opaque
 * id the front office has anyway.
 */
export type ProfileEventView = Profile & { accounts: string[] };

export function profileEventView(profile: Profile): ProfileEventView {
  return {
    ...profile,
    accounts: profile.keys.filter((key) => key.startsWith("sso:")).map((key) => key.slice(4)),
  };
}

export function customerCreated(profile: Profile): OutgoingEvent {
  return {
    id: `${customerCreatedTopic}:${profile.id}`,
    topic: customerCreatedTopic,
    data: { profile: profileEventView(profile) },
  };
}

export function customerUpdated(profile: Profile, reason: string): OutgoingEvent {
  return {
    id: `${customerUpdatedTopic}:${profile.id}:${profile.version}`,
    topic: customerUpdatedTopic,
    data: { reason, profile: profileEventView(profile) },
  };
}

export function customerMerged(
  merge: MergeRecord,
  profile: Profile,
): OutgoingEvent<{
  mergeId: string;
  survivorId: string;
  absorbedIds: string[];
  rule: string;
  actor: MergeActor;
  profile: ProfileEventView;
}> {
  return {
    id: `${customerMergedTopic}:${merge.id}`,
    topic: customerMergedTopic,
    data: {
      mergeId: merge.id,
      survivorId: merge.survivorId,
      absorbedIds: merge.absorbedIds,
      rule: merge.rule,
      actor: merge.actor,
      profile: profileEventView(profile),
    },
  };
}
