import { customerMerged } from "../events/crm-topics.js";
import type { CrmDeps } from "./crm-deps.js";
import type { MergeActor, MergeRecord, Profile } from "./profile.js";
import { asMerged, withAbsorbed } from "./profile-changes.js";

export interface PreparedMerge {
  record: MergeRecord;
  survivor: Profile;
  absorbed: Profile[];
}

/** Snapshots what a merge changes (for undo) and computes the profiles after it. */
export async function prepareMerge(
  deps: CrmDeps,
  survivor: Profile,
  absorbed: Profile[],
  rule: string,
  actor: MergeActor,
): Promise<PreparedMerge> {
  const at = deps.now();
  const absorbedIds = absorbed.map((p) => p.id);
  const [keyOwners, touchpointOwners] = await Promise.all([
    deps.identity.keysOf(absorbedIds),
    deps.identity.touchpointOwners(absorbedIds),
  ]);
  const record: MergeRecord = {
    id: deps.newId(),
    survivorId: survivor.id,
    absorbedIds,
    rule,
    actor,
    at,
    before: { profiles: [survivor, ...absorbed], keyOwners, touchpointOwners },
  };
  return {
    record,
    survivor: withAbsorbed(survivor, absorbed, at),
    absorbed: absorbed.map((p) => asMerged(p, survivor.id, at)),
  };
}

/** Moves keys and touchpoints of the absorbed profiles to the survivor and records the merge. */
export async function commitMerges(deps: CrmDeps, merges: PreparedMerge[]): Promise<void> {
  for (const { record } of merges) {
    await deps.identity.repointKeys(record.absorbedIds, record.survivorId);
    await deps.identity.repointTouchpoints(record.absorbedIds, record.survivorId);
  }
  await deps.merges.insertMerges(merges.map((m) => m.record));
}

/**
 * Merges profiles now (a confirmed suggestion, or two writers that claimed one key):
 * the oldest survives. Resolves with the merge, or undefined when they already are one.
 */
export async function mergeProfiles(
  deps: CrmDeps,
  profiles: Profile[],
  rule: string,
  actor: MergeActor,
): Promise<PreparedMerge | undefined> {
  const distinct = [...new Map(profiles.map((p) => [p.id, p])).values()];
  if (distinct.length < 2) return undefined;
  distinct.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const [survivor, ...absorbed] = distinct as [Profile, ...Profile[]];
  const merge = await prepareMerge(deps, survivor, absorbed, rule, actor);
  await deps.identity.saveProfiles([merge.survivor, ...merge.absorbed]);
  await commitMerges(deps, [merge]);
  await deps.outbox.send([customerMerged(merge.record, merge.survivor)]);
  return merge;
}
