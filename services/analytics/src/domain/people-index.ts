import type { AnalyticsState, FirstTouch } from "./analytics-state.js";
import { resolvePerson } from "./resolve-person.js";

// Who is who, from CRM's facts: a profile id that was merged away resolves to its survivor
// (unless a newer version of it came back active: the merge was undone), and an identity key
// resolves to the active profile holding it. Touchpoints of a key no profile holds yet belong
// to an anonymous visitor named by the key itself.

export interface PeopleIndex {
  /** The unified id a profile id stands for today. */
  person(profileId: string): string;
  /** The unified id holding `key`, if a profile holds it. */
  ownerOf(key: string): string | undefined;
  /** The first person found by the keys, else the first key (an anonymous visitor). */
  personOfKeys(keys: readonly string[]): string | undefined;
  /** Each person's (or visitor's) first touchpoint: the earliest over all their keys. */
  firstTouches(): ReadonlyMap<string, FirstTouch>;
}

// Rebuilt only when people changed (a profile, a merge, a touchpoint), not with every fact.
const cache = new WeakMap<AnalyticsState, { revision: number; index: PeopleIndex }>();

export function peopleIndex(state: AnalyticsState): PeopleIndex {
  const cached = cache.get(state);
  if (cached?.revision === state.revisions.people) return cached.index;
  const person = (profileId: string) => resolvePerson(state, profileId);
  // When two active profiles hold one key (a merge not seen yet), the smaller id holds it:
  // the choice does not depend on the order the facts came in.
  const ownerOf = (key: string): string | undefined => {
    let owner: string | undefined;
    for (const id of state.keyHolders.get(key) ?? []) {
      if (state.profiles.get(id)?.status !== "active") continue;
      if (owner === undefined || id < owner) owner = id;
    }
    return owner === undefined ? undefined : person(owner);
  };
  let firstTouches: Map<string, FirstTouch> | undefined;
  const index: PeopleIndex = {
    person,
    ownerOf,
    personOfKeys(keys) {
      for (const key of keys) {
        const owner = ownerOf(key);
        if (owner !== undefined) return owner;
      }
      return keys[0];
    },
    firstTouches() {
      if (firstTouches) return firstTouches;
      firstTouches = new Map<string, FirstTouch>();
      for (const [key, touch] of state.firstTouch) {
        const who = ownerOf(key) ?? key;
        const known = firstTouches.get(who);
        if (
          !known ||
          touch.at < known.at ||
          (touch.at === known.at && touch.touchpointId < known.touchpointId)
        )
          firstTouches.set(who, touch);
      }
      return firstTouches;
    },
  };
  cache.set(state, { revision: state.revisions.people, index });
  return index;
}
