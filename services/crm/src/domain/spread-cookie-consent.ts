import { customerUpdated } from "../events/crm-topics.js";
import { activeProfiles } from "./active-profiles.js";
import type { CrmDeps } from "./crm-deps.js";
import type { Profile } from "./profile.js";
import type { Touchpoint } from "./touchpoint.js";

interface CookieStatement {
  hint: string;
  granted: boolean;
  at: string;
  source: string;
}

/**
 * The site's cookie consent belongs to the browser, not to one profile: a touchpoint that
 * states `consent.cookies` with a cookie hint gives that statement to every active profile
 * the same cookie links (each visit may have made its own), unless one holds a later one.
 * Pure: the profiles that change, with their new version.
 */
export function withCookieConsent(
  profiles: Profile[],
  statements: CookieStatement[],
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

/**
 * The browser's latest cookie statement per hint: from the batch's touchpoints or from a
 * profile that already holds one (so a visit made after the banner's answer gets it too).
 */
export function latestCookieStatements(
  profiles: Profile[],
  batch: CookieStatement[],
  hints: Set<string>,
): CookieStatement[] {
  const latest = new Map<string, CookieStatement>();
  const known = profiles.flatMap((profile) => {
    const cookies = profile.consent.cookies;
    return cookies
      ? profile.hints.filter((h) => hints.has(h)).map((hint) => ({ hint, ...cookies }))
      : [];
  });
  for (const statement of [...batch, ...known]) {
    const current = latest.get(statement.hint);
    if (!current || current.at < statement.at) latest.set(statement.hint, statement);
  }
  return [...latest.values()];
}

/**
 * After a batch is resolved: the latest cookie statement of each browser the batch saw goes
 * to every profile its cookie links (customer.updated, reason consent).
 */
export async function spreadCookieConsent(deps: CrmDeps, touchpoints: Touchpoint[]): Promise<void> {
  const hints = new Set(touchpoints.flatMap((t) => (t.hint ? [t.hint] : [])));
  if (hints.size === 0) return;
  const batch = touchpoints.flatMap((t) =>
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
  const holders = await deps.identity.hintHolders([...hints]);
  const ids = [...new Set([...holders.values()].flat())];
  const profiles = [
    ...new Map([...(await activeProfiles(deps, ids)).values()].map((p) => [p.id, p])).values(),
  ];
  const changed = withCookieConsent(
    profiles,
    latestCookieStatements(profiles, batch, hints),
    deps.now(),
  );
  if (changed.length === 0) return;
  await deps.identity.saveProfiles(changed);
  await deps.outbox.send(changed.map((profile) => customerUpdated(profile, "consent")));
}
