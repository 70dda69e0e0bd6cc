import { consentKinds } from "@symbiont/contracts";
import type { MergeRecord, Profile } from "./profile.js";
import type { Touchpoint } from "./touchpoint.js";

const maxNames = 10;

function union(a: string[], b: Iterable<string>): string[] {
  const result = [...a];
  for (const value of b) if (!result.includes(value)) result.push(value);
  return result;
}

export function emptyProfile(id: string, at: string): Profile {
  return {
    id,
    status: "active",
    kind: "prospect",
    names: [],
    keys: [],
    hints: [],
    consent: {},
    interests: [],
    touchpointCount: 0,
    firstSeenAt: at,
    lastSeenAt: at,
    createdAt: at,
    updatedAt: at,
    version: 0,
  };
}

/** Identity, consent, kind and interests: what a version counts (not visit counters). */
function significant(profile: Profile): string {
  const { names, keys, hints, consent, preferredChannel, interests, kind, status } = profile;
  return JSON.stringify({ names, keys, hints, consent, preferredChannel, interests, kind, status });
}

/**
 * The profile after some touchpoints: their keys, hints, names, consent (the latest
 * statement per channel wins) and interests are added. The version grows when anything
 * but the counters changed.
 */
export function withTouchpoints(profile: Profile, touchpoints: Touchpoint[], at: string): Profile {
  const next: Profile = { ...profile, consent: { ...profile.consent } };
  for (const touchpoint of [...touchpoints].sort((a, b) =>
    a.occurredAt.localeCompare(b.occurredAt),
  )) {
    next.keys = union(next.keys, touchpoint.keys);
    if (touchpoint.hint) next.hints = union(next.hints, [touchpoint.hint]);
    if (touchpoint.name && next.names.length < maxNames)
      next.names = union(next.names, [touchpoint.name]);
    if (touchpoint.interests) next.interests = union(next.interests, touchpoint.interests);
    if (
      touchpoint.relationship === "customer" ||
      touchpoint.channel === "purchase" ||
      touchpoint.identity.loyaltyCard
    ) {
      next.kind = "customer";
    }
    for (const channel of consentKinds) {
      const granted = touchpoint.consent?.[channel];
      const current = next.consent[channel];
      if (granted !== undefined && (!current || current.at <= touchpoint.occurredAt)) {
        next.consent[channel] = {
          granted,
          at: touchpoint.occurredAt,
          source: `touchpoint:${touchpoint.id}`,
        };
      }
    }
    const preferred = next.preferredChannel;
    if (touchpoint.preferredChannel && (!preferred || preferred.at <= touchpoint.occurredAt))
      next.preferredChannel = {
        channel: touchpoint.preferredChannel,
        at: touchpoint.occurredAt,
        source: `touchpoint:${touchpoint.id}`,
      };
    if (touchpoint.occurredAt < next.firstSeenAt) next.firstSeenAt = touchpoint.occurredAt;
    if (touchpoint.occurredAt > next.lastSeenAt) next.lastSeenAt = touchpoint.occurredAt;
  }
  next.touchpointCount += touchpoints.length;
  if (significant(next) !== significant(profile) || profile.version === 0) {
    next.version = profile.version + 1;
    next.updatedAt = at;
  }
  return next;
}

/** The survivor after a merge: everything the absorbed profiles knew, the survivor's id. */
export function withAbsorbed(survivor: Profile, absorbed: Profile[], at: string): Profile {
  const next: Profile = { ...survivor, consent: { ...survivor.consent } };
  for (const other of absorbed) {
    next.keys = union(next.keys, other.keys);
    next.hints = union(next.hints, other.hints);
    next.names = union(next.names, other.names).slice(0, maxNames);
    next.interests = union(next.interests, other.interests);
    if (other.kind === "customer") next.kind = "customer";
    for (const channel of consentKinds) {
      const theirs = other.consent[channel];
      const ours = next.consent[channel];
      if (theirs && (!ours || ours.at < theirs.at)) next.consent[channel] = theirs;
    }
    const theirs = other.preferredChannel;
    if (theirs && (!next.preferredChannel || next.preferredChannel.at < theirs.at))
      next.preferredChannel = theirs;
    next.touchpointCount += other.touchpointCount;
    if (other.firstSeenAt < next.firstSeenAt) next.firstSeenAt = other.firstSeenAt;
    if (other.lastSeenAt > next.lastSeenAt) next.lastSeenAt = other.lastSeenAt;
  }
  next.version = survivor.version + 1;
  next.updatedAt = at;
  return next;
}

export function asMerged(profile: Profile, survivorId: string, at: string): Profile {
  return {
    ...profile,
    status: "merged",
    mergedInto: survivorId,
    version: profile.version + 1,
    updatedAt: at,
  };
}

function without(values: string[], removed: Set<string>): string[] {
  return values.filter((value) => !removed.has(value));
}

/**
 * The profile that holds a merge's result (the survivor, or whoever absorbed it later),
 * once the merge is undone: it loses what only the absorbed profiles had brought (keys,
 * hints, names, interests, their touchpoints, consent they had stated) and keeps the rest,
 * including what came after the merge.
 */
export function holderAfterUndo(
  holder: Profile,
  before: MergeRecord["before"],
  at: string,
): Profile {
  const [survivorBefore, ...absorbedBefore] = before.profiles as [Profile, ...Profile[]];
  const onlyAbsorbed = (pick: (p: Profile) => string[]) =>
    new Set(absorbedBefore.flatMap(pick).filter((v) => !pick(survivorBefore).includes(v)));
  const next: Profile = {
    ...holder,
    keys: without(
      holder.keys,
      onlyAbsorbed((p) => p.keys),
    ),
    hints: without(
      holder.hints,
      onlyAbsorbed((p) => p.hints),
    ),
    names: without(
      holder.names,
      onlyAbsorbed((p) => p.names),
    ),
    interests: without(
      holder.interests,
      onlyAbsorbed((p) => p.interests),
    ),
    consent: { ...holder.consent },
    touchpointCount: Math.max(0, holder.touchpointCount - before.touchpointOwners.length),
    version: holder.version + 1,
    updatedAt: at,
  };
  for (const channel of consentKinds) {
    const theirs = holder.consent[channel];
    if (theirs && absorbedBefore.some((p) => p.consent[channel]?.source === theirs.source)) {
      const previous = survivorBefore.consent[channel];
      if (previous) next.consent[channel] = previous;
      else delete next.consent[channel];
    }
  }
  const preferred = holder.preferredChannel;
  if (preferred && absorbedBefore.some((p) => p.preferredChannel?.source === preferred.source)) {
    if (survivorBefore.preferredChannel) next.preferredChannel = survivorBefore.preferredChannel;
    else delete next.preferredChannel;
  }
  return next;
}
