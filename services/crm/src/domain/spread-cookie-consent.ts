import { customerUpdated } from "../events/crm-topics.js";
import { activeProfiles } from "./active-profiles.js";
import type { CrmDeps } from "./crm-deps.js";
import type { Profile } from "./profile.js";
import type { Resolution } from "./resolve-batch.js";
import type { Touchpoint } from "./touchpoint.js";

/**
 * The site's cookie consent belongs to the browser, not to one profile: a touchpoint that
 * states `consent.cookies` with a cookie hint gives that statement to every active profile
 * the same cookie links (each visit may have made its own), unless one holds a later one.
 * Pure: the profiles that change, with their new version.
 */
export function withCookieConsent(
  profiles: Profile[],
  statements: Array<{ hint: string; granted: boolean; at: string; source: string }>,
  now: string,
): Profile[] {
  const changed = new Map<string, Profile>();
  for (const statement of [...statements].sort((a, b) => a.at.localeCompare(b.at))) {
    for (const original of profiles) {
      const profile = changed.get(original.id) ?? original;
      if (profile.status !== "active" || !profile.hints.includes(statement.hint)) continue;
      const current = profile.consent.cookies;
      if (current && (current.at > statement.at || current.granted === statement.granted)) continue;
      changed.set(profile.id, {
        ...profile,
        consent: {
          ...profile.consent,
          cookies: { granted: statement.granted, at: statement.at, source: statement.source },
        },
        version: original.version + 1,
        updatedAt: now,
      });
    }
  }
  return [...changed.values()];
}

/** After a batch is resolved: spreads its cookie statements to the cookie's other profiles. */
export async function spreadCookieConsent(
  deps: CrmDeps,
  touchpoints: Touchpoint[],
  outcomes: ReadonlyMap<string, Resolution>,
): Promise<void> {
  const statements = touchpoints.flatMap((t) =>
    t.hint && t.consent?.cookies !== undefined
      ? [
          {
            hint: t.hint,
            granted: t.consent.cookies,
            at: t.occurredAt,
            source: `touchpoint:${t.id}`,
          },
        ]
      : [],
  );
  if (statements.length === 0) return;
  const holders = await deps.identity.hintHolders([...new Set(statements.map((s) => s.hint))]);
  const own = new Set(touchpoints.map((t) => outcomes.get(t.id)?.profileId));
  const ids = [...new Set([...holders.values()].flat())].filter((id) => !own.has(id));
  const profiles = [
    ...new Map([...(await activeProfiles(deps, ids)).values()].map((p) => [p.id, p])).values(),
  ];
  const changed = withCookieConsent(profiles, statements, deps.now());
  if (changed.length === 0) return;
  await deps.identity.saveProfiles(changed);
  await deps.outbox.send(changed.map((profile) => customerUpdated(profile, "consent")));
}
