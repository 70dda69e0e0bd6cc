import { keyKind } from "./identity-keys.js";
import { pairId, type Profile } from "./profile.js";
import type { Touchpoint } from "./touchpoint.js";
import { UnionFind } from "./union-find.js";

export interface ResolutionState {
  /** Owner (an active profile id) of each known deterministic key. */
  keyOwners: ReadonlyMap<string, string>;
  /** The active profiles that own any of the batch's keys. */
  profiles: ReadonlyMap<string, Profile>;
  /** Pairs a person or a manager kept apart (an undone merge, a rejected suggestion). */
  blockedPairs: ReadonlySet<string>;
}

/** What happens to one profile: touchpoints attached, keys claimed, profiles merged into it. */
export interface ProfilePlan {
  profileId: string;
  isNew: boolean;
  absorbed: string[];
  /** The key kinds that linked the merged profiles ("email", "phone+card"). */
  rule?: string;
  touchpoints: Touchpoint[];
  claimKeys: string[];
}

function byAge(profiles: ReadonlyMap<string, Profile>) {
  return (a: string, b: string) => {
    const pa = profiles.get(a)!;
    const pb = profiles.get(b)!;
    return pa.createdAt.localeCompare(pb.createdAt) || a.localeCompare(b);
  };
}

/**
 * Pure identity resolution of a batch: touchpoints, their keys and the profiles owning
 * those keys form a graph; each connected part becomes one profile. The oldest profile
 * survives and absorbs the others (transitive: a touchpoint that shares an e-mail with A
 * and a phone with B joins A and B). A blocked pair is never merged automatically.
 */
export function planResolution(
  touchpoints: Touchpoint[],
  state: ResolutionState,
  newId: () => string,
): ProfilePlan[] {
  const sets = new UnionFind();
  const keyDegree = new Map<string, number>();
  for (const touchpoint of touchpoints) {
    sets.add(`t:${touchpoint.id}`);
    for (const key of touchpoint.keys) {
      sets.union(`t:${touchpoint.id}`, `k:${key}`);
      keyDegree.set(key, (keyDegree.get(key) ?? 0) + 1);
    }
  }
  for (const key of keyDegree.keys()) {
    const owner = state.keyOwners.get(key);
    if (owner !== undefined) {
      sets.union(`k:${key}`, `p:${owner}`);
      keyDegree.set(key, keyDegree.get(key)! + 1);
    }
  }
  const touchpointById = new Map(touchpoints.map((t) => [t.id, t]));
  const plans: ProfilePlan[] = [];
  for (const members of sets.groups().values()) {
    const profileIds = members.filter((m) => m.startsWith("p:")).map((m) => m.slice(2));
    const groupTouchpoints = members
      .filter((m) => m.startsWith("t:"))
      .map((m) => touchpointById.get(m.slice(2))!);
    if (groupTouchpoints.length === 0) continue;
    profileIds.sort(byAge(state.profiles));
    // Greedy: the oldest survives; others join unless blocked with one already joined.
    const joined: string[] = [];
    const apart: string[] = [];
    for (const id of profileIds) {
      if (joined.some((j) => state.blockedPairs.has(pairId(j, id)))) apart.push(id);
      else joined.push(id);
    }
    const survivor = joined[0] ?? newId();
    const main: ProfilePlan = {
      profileId: survivor,
      isNew: joined.length === 0,
      absorbed: joined.slice(1),
      touchpoints: [],
      claimKeys: [],
    };
    const separate = new Map(
      apart.map((id) => [
        id,
        {
          ...main,
          profileId: id,
          isNew: false,
          absorbed: [],
          touchpoints: [] as Touchpoint[],
          claimKeys: [] as string[],
        },
      ]),
    );
    const planOfOwner = (owner: string | undefined) => (owner && separate.get(owner)) || main;
    for (const touchpoint of groupTouchpoints) {
      // A touchpoint goes to the owner of its strongest owned key (keys are strongest first).
      const ownedKey = touchpoint.keys.find((key) => state.keyOwners.has(key));
      const plan = planOfOwner(ownedKey === undefined ? undefined : state.keyOwners.get(ownedKey));
      plan.touchpoints.push(touchpoint);
      for (const key of touchpoint.keys) {
        if (
          !state.keyOwners.has(key) &&
          !main.claimKeys.includes(key) &&
          ![...separate.values()].some((p) => p.claimKeys.includes(key))
        ) {
          plan.claimKeys.push(key);
        }
      }
    }
    if (main.absorbed.length > 0) {
      const linking = members
        .filter((m) => m.startsWith("k:") && (keyDegree.get(m.slice(2)) ?? 0) >= 2)
        .map((m) => keyKind(m.slice(2)));
      main.rule = [...new Set(linking)].sort().join("+");
    }
    plans.push(main, ...[...separate.values()].filter((p) => p.touchpoints.length > 0));
  }
  return plans;
}
