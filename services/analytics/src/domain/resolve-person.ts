import type { AnalyticsState } from "./analytics-state.js";

const maxHops = 16;

/**
 * The unified id a CRM profile id stands for today: a merged profile leads to its survivor,
 * unless a newer version of it came back active (the merge was undone).
 */
export function resolvePerson(state: AnalyticsState, profileId: string): string {
  let id = profileId;
  for (let hop = 0; hop < maxHops; hop++) {
    const profile = state.profiles.get(id);
    if (profile?.status === "merged" && profile.mergedInto) {
      id = profile.mergedInto;
      continue;
    }
    const alias = state.aliases.get(id);
    const undone = profile?.status === "active" && alias !== undefined && profile.at > alias.at;
    if (!alias || undone) return id;
    id = alias.survivorId;
  }
  return id;
}

/** Every profile id that stands for `person` today (the person's own and those merged into it). */
export function profileIdsOf(state: AnalyticsState, person: string): string[] {
  const ids = new Set([person]);
  const queue = [person];
  while (queue.length > 0) {
    for (const absorbed of state.absorbedBy.get(queue.pop()!) ?? []) {
      if (ids.has(absorbed) || resolvePerson(state, absorbed) !== person) continue;
      ids.add(absorbed);
      queue.push(absorbed);
    }
  }
  return [...ids];
}
