import type { OutgoingEvent } from "@symbiont/service-kit";
import { customerCreated, customerMerged, customerUpdated } from "../events/crm-topics.js";
import { activeProfiles } from "./active-profiles.js";
import type { CrmDeps } from "./crm-deps.js";
import { keyKind } from "./identity-keys.js";
import { commitMerges, mergeProfiles, prepareMerge, type PreparedMerge } from "./merge-profiles.js";
import { planResolution, type ProfilePlan } from "./plan-resolution.js";
import { pairId, type Profile } from "./profile.js";
import { emptyProfile, withTouchpoints } from "./profile-changes.js";
import { spreadCookieConsent } from "./spread-cookie-consent.js";
import { suggestFromHints } from "./suggest-from-hints.js";
import type { Touchpoint } from "./touchpoint.js";

export interface Resolution {
  touchpointId: string;
  profileId: string;
  /** created: a new profile; attached: to a known one; merged: it joined profiles; duplicate: seen before. */
  outcome: "created" | "attached" | "merged" | "duplicate";
}

async function currentOwners(deps: CrmDeps, keys: string[]) {
  const raw = await deps.identity.keyOwners(keys);
  const active = await activeProfiles(deps, [...new Set(raw.values())]);
  const keyOwners = new Map<string, string>();
  for (const [key, owner] of raw) {
    const profile = active.get(owner);
    if (profile) keyOwners.set(key, profile.id);
  }
  const profiles = new Map([...active.values()].map((p) => [p.id, p]));
  return { keyOwners, profiles };
}

function pairsToCheck(plans: ProfilePlan[]): string[] {
  const pairs: string[] = [];
  for (const plan of plans) {
    const ids = [plan.profileId, ...plan.absorbed];
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) pairs.push(pairId(ids[i]!, ids[j]!));
  }
  return pairs;
}

/**
 * Resolves a batch of touchpoints into profiles: plan (pure), then write in bulk: keys
 * claimed, profiles saved, merges recorded, touchpoints stored, hints and suggestions,
 * events to the outbox. A touchpoint id seen before changes nothing.
 */
export async function resolveBatch(deps: CrmDeps, batch: Touchpoint[]): Promise<Resolution[]> {
  const at = deps.now();
  const unique = [...new Map(batch.map((t) => [t.id, t])).values()];
  const stored = await deps.identity.storedTouchpoints(unique.map((t) => t.id));
  const fresh = unique.filter((t) => !stored.has(t.id));
  const { keyOwners, profiles } = await currentOwners(deps, [
    ...new Set(fresh.flatMap((t) => t.keys)),
  ]);

  let blockedPairs = new Set<string>();
  let plans = planResolution(fresh, { keyOwners, profiles, blockedPairs }, deps.newId);
  blockedPairs = await deps.merges.blockedAmong(pairsToCheck(plans));
  if (blockedPairs.size > 0)
    plans = planResolution(fresh, { keyOwners, profiles, blockedPairs }, deps.newId);

  const merges: PreparedMerge[] = [];
  const finals: Profile[] = [];
  const events: OutgoingEvent[] = [];
  const outcomes = new Map<string, Resolution>();
  for (const plan of plans) {
    let base = plan.isNew ? emptyProfile(plan.profileId, at) : profiles.get(plan.profileId)!;
    if (plan.absorbed.length > 0) {
      const absorbed = plan.absorbed.map((id) => profiles.get(id)!);
      const merge = await prepareMerge(deps, base, absorbed, plan.rule ?? "deterministic", {
        kind: "system",
      });
      merges.push(merge);
      base = merge.survivor;
    }
    const final = withTouchpoints(base, plan.touchpoints, at);
    finals.push(final);
    if (plan.isNew) events.push(customerCreated(final));
    else if (plan.absorbed.length === 0 && final.version !== base.version)
      events.push(customerUpdated(final, "touchpoint"));
    const outcome = plan.isNew ? "created" : plan.absorbed.length > 0 ? "merged" : "attached";
    for (const t of plan.touchpoints)
      outcomes.set(t.id, { touchpointId: t.id, profileId: final.id, outcome });
  }

  const raced = await deps.identity.claimKeys(
    plans.flatMap((plan) => plan.claimKeys.map((key) => ({ key, profileId: plan.profileId }))),
  );
  await deps.identity.saveProfiles([...finals, ...merges.flatMap((m) => m.absorbed)]);
  await commitMerges(deps, merges);
  await deps.identity.insertTouchpoints(
    fresh.map((t) => ({ touchpoint: t, profileId: outcomes.get(t.id)!.profileId })),
    at,
  );
  for (const merge of merges) {
    const final = finals.find((p) => p.id === merge.record.survivorId)!;
    events.push(customerMerged(merge.record, final));
  }
  await suggestFromHints(deps, fresh, outcomes, finals);
  await deps.outbox.send(events);
  await spreadCookieConsent(deps, fresh);
  if (raced.length > 0) await joinRacedKeys(deps, raced, plans);

  const duplicates = await activeProfiles(deps, [...new Set(stored.values())]);
  return batch.map((t) => {
    const owner = stored.get(t.id);
    if (owner !== undefined) {
      return {
        touchpointId: t.id,
        profileId: duplicates.get(owner)?.id ?? owner,
        outcome: "duplicate",
      };
    }
    return outcomes.get(t.id)!;
  });
}

/** Another writer claimed a key first: the two profiles are one person, merge them. */
async function joinRacedKeys(deps: CrmDeps, keys: string[], plans: ProfilePlan[]): Promise<void> {
  const owners = await deps.identity.keyOwners(keys);
  for (const key of keys) {
    const mine = plans.find((plan) => plan.claimKeys.includes(key))?.profileId;
    const theirs = owners.get(key);
    if (!mine || !theirs || mine === theirs) continue;
    const active = await activeProfiles(deps, [mine, theirs]);
    const both = [active.get(mine), active.get(theirs)].filter(
      (p): p is Profile => p !== undefined,
    );
    deps.logger.info({ key: keyKind(key) }, "key claimed by another writer: merging");
    await mergeProfiles(deps, both, keyKind(key), { kind: "system" });
  }
}
