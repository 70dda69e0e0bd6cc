import { conflict, notFound } from "@symbiont/service-kit";
import { customerUpdated } from "../events/crm-topics.js";
import { activeProfiles } from "./active-profiles.js";
import type { CrmDeps } from "./crm-deps.js";
import { pairId, type MergeActor, type Profile } from "./profile.js";
import { holderAfterUndo } from "./profile-changes.js";

/**
 * Undoes a merge: the absorbed profiles come back as they were (same ids), their keys and
 * touchpoints return to them, and the profile that held them loses what only they had
 * brought. The pair is blocked so the same rule does not merge them again by itself.
 */
export async function undoMerge(
  deps: CrmDeps,
  mergeId: string,
  actor: MergeActor,
): Promise<{ holder: Profile; restored: Profile[] }> {
  const merge = await deps.merges.merge(mergeId);
  if (!merge) throw notFound(`merge ${mergeId}`);
  const at = deps.now();
  if (merge.undoneAt || !(await deps.merges.markUndone(mergeId, actor, at))) {
    throw conflict(`merge ${mergeId} is already undone`);
  }
  const [, ...absorbedBefore] = merge.before.profiles as [Profile, ...Profile[]];
  // The survivor may itself have been merged later: its keys are with today's holder.
  const holderNow = (await activeProfiles(deps, [merge.survivorId])).get(merge.survivorId);
  if (!holderNow) throw notFound(`profile ${merge.survivorId}`);
  const current = new Map((await deps.identity.profiles(merge.absorbedIds)).map((p) => [p.id, p]));

  const holder = holderAfterUndo(holderNow, merge.before, at);
  const restored = absorbedBefore.map(({ mergedInto: _gone, ...p }): Profile => ({
    ...p,
    status: "active",
    version: Math.max(p.version, current.get(p.id)?.version ?? 0) + 1,
    updatedAt: at,
  }));
  await deps.identity.saveProfiles([holder, ...restored]);
  await deps.identity.setKeyOwners(merge.before.keyOwners);
  await deps.identity.setTouchpointOwners(merge.before.touchpointOwners);
  await deps.merges.block(
    merge.absorbedIds.map((id) => pairId(merge.survivorId, id)),
    `merge ${mergeId} undone`,
    at,
  );
  await deps.outbox.send([holder, ...restored].map((p) => customerUpdated(p, "unmerged")));
  return { holder, restored };
}
