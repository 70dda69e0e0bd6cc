import type { CrmDeps } from "./crm-deps.js";
import { activeProfiles } from "./active-profiles.js";
import { nameSimilarity, similarNameThreshold } from "./name-similarity.js";
import { pairId, type MergeSuggestion, type Profile } from "./profile.js";
import type { Resolution } from "./resolve-batch.js";
import type { Touchpoint } from "./touchpoint.js";

function bestSimilarity(names: string[], others: string[]): number {
  let best = 0;
  for (const a of names) for (const b of others) best = Math.max(best, nameSimilarity(a, b));
  return best;
}

/**
 * Probabilistic hints never merge: a cookie seen with another profile whose name is
 * similar makes a merge suggestion, for the customer or a manager to confirm.
 */
export async function suggestFromHints(
  deps: CrmDeps,
  touchpoints: Touchpoint[],
  outcomes: ReadonlyMap<string, Resolution>,
  finals: Profile[],
): Promise<void> {
  const withHint = touchpoints.filter((t) => t.hint !== undefined);
  if (withHint.length === 0) return;
  const holders = await deps.identity.hintHolders([...new Set(withHint.map((t) => t.hint!))]);
  const known = await activeProfiles(deps, [...new Set([...holders.values()].flat())]);
  const byId = new Map<string, Profile>([...known.values()].map((p) => [p.id, p]));
  for (const p of finals) byId.set(p.id, p);
  const suggestions = new Map<string, MergeSuggestion>();
  const added: Array<{ hint: string; profileId: string }> = [];
  for (const touchpoint of withHint) {
    const hint = touchpoint.hint!;
    const profileId = outcomes.get(touchpoint.id)!.profileId;
    const profile = byId.get(profileId)!;
    const others = new Set((holders.get(hint) ?? []).map((id) => known.get(id)?.id ?? id));
    for (const otherId of others) {
      const other = byId.get(otherId);
      if (!other || other.id === profileId || other.status !== "active") continue;
      const score = bestSimilarity(profile.names, other.names);
      if (score < similarNameThreshold) continue;
      const id = pairId(profileId, other.id);
      suggestions.set(id, {
        id,
        profileIds: id.split("|") as [string, string],
        reason: `same browser cookie and similar names (${profile.names[0]} / ${other.names[0]})`,
        score: Math.round(score * 1000) / 1000,
        status: "open",
        createdAt: deps.now(),
      });
    }
    holders.set(hint, [...(holders.get(hint) ?? []), profileId]);
    added.push({ hint, profileId });
  }
  await deps.identity.addHints(added);
  const blocked = await deps.merges.blockedAmong([...suggestions.keys()]);
  await deps.merges.addSuggestions([...suggestions.values()].filter((s) => !blocked.has(s.id)));
}
