import type { OutgoingEvent } from "@symbiont/service-kit";
import type { MergeActor, MergeRecord, Profile } from "../domain/profile.js";

// Topics CRM publishes and consumes on the internal bus (docs/module-contract.md).
export const customerCreatedTopic = "customer.created";
export const customerMergedTopic = "customer.merged";
export const customerUpdatedTopic = "customer.updated";
export const touchpointRecordedTopic = "touchpoint.recorded";
export const itemChangedTopic = "mdm.item.changed";
export const ssoLoginTopic = "sso.login";

export function customerCreated(profile: Profile): OutgoingEvent {
  return {
    id: `${customerCreatedTopic}:${profile.id}`,
    topic: customerCreatedTopic,
    data: { profile },
  };
}

export function customerUpdated(profile: Profile, reason: string): OutgoingEvent {
  return {
    id: `${customerUpdatedTopic}:${profile.id}:${profile.version}`,
    topic: customerUpdatedTopic,
    data: { reason, profile },
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
  profile: Profile;
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
      profile,
    },
  };
}
