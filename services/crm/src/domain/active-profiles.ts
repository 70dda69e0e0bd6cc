import type { CrmDeps } from "./crm-deps.js";
import type { Profile } from "./profile.js";

/**
 * The active profile each id stands for today: a merged id leads to its survivor (links
 * made with an old id keep working). Returns a map id -> active profile.
 */
export async function activeProfiles(
  deps: Pick<CrmDeps, "identity">,
  ids: string[],
): Promise<Map<string, Profile>> {
  const result = new Map<string, Profile>();
  let pending = new Map<string, string[]>(ids.map((id) => [id, [id]]));
  for (let depth = 0; depth < 20 && pending.size > 0; depth++) {
    const found = await deps.identity.profiles([...pending.keys()]);
    const next = new Map<string, string[]>();
    for (const profile of found) {
      const askers = pending.get(profile.id) ?? [];
      if (profile.status === "active" || !profile.mergedInto) {
        for (const asker of askers) result.set(asker, profile);
      } else {
        next.set(profile.mergedInto, [...(next.get(profile.mergedInto) ?? []), ...askers]);
      }
    }
    pending = next;
  }
  return result;
}
