import type { CachedItem } from "../data/catalog-cache.js";
import type { CrmDeps } from "./crm-deps.js";
import type { Profile } from "./profile.js";

export interface ProfileView extends Omit<Profile, "interests"> {
  /** The id asked for, when it was merged into this profile. */
  resolvedFrom?: string;
  /** Product interests with the catalog's current name (archived items left out). */
  interests: Array<{ itemId: string; name?: string; category?: string }>;
}

export async function profileView(
  deps: CrmDeps,
  profile: Profile,
  askedId: string,
): Promise<ProfileView> {
  const items = new Map<string, CachedItem>(
    (await deps.catalog.items(profile.interests)).map((i) => [i.id, i]),
  );
  const interests = profile.interests
    .filter((id) => items.get(id)?.status !== "archived")
    .map((itemId) => {
      const item = items.get(itemId);
      return item ? { itemId, name: item.name, category: item.category } : { itemId };
    });
  return { ...profile, interests, ...(askedId === profile.id ? {} : { resolvedFrom: askedId }) };
}
