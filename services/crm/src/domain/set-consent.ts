import { consentKinds, type ConsentStatement } from "@symbiont/contracts";
import { notFound } from "@symbiont/service-kit";
import { customerUpdated } from "../events/crm-topics.js";
import { activeProfiles } from "./active-profiles.js";
import type { CrmDeps } from "./crm-deps.js";
import type { Profile } from "./profile.js";
import type { ConsentChannel } from "./touchpoint.js";

/**
 * Consent per channel, and the channel preferred, as the customer (or a manager on their
 * word) states it. Later modules (notifications, marketing) read them from `customer.updated`
 * and must honour them.
 */
export async function setConsent(
  deps: CrmDeps,
  profileId: string,
  consent: ConsentStatement,
  source: string,
  preferredChannel?: ConsentChannel,
): Promise<Profile> {
  const profile = (await activeProfiles(deps, [profileId])).get(profileId);
  if (!profile) throw notFound(`profile ${profileId}`);
  const at = deps.now();
  const next: Profile = { ...profile, consent: { ...profile.consent } };
  let changed = false;
  for (const channel of consentKinds) {
    const granted = consent[channel];
    if (granted === undefined || profile.consent[channel]?.granted === granted) continue;
    next.consent[channel] = { granted, at, source };
    changed = true;
  }
  if (preferredChannel && profile.preferredChannel?.channel !== preferredChannel) {
    next.preferredChannel = { channel: preferredChannel, at, source };
    changed = true;
  }
  if (!changed) return profile;
  next.version = profile.version + 1;
  next.updatedAt = at;
  await deps.identity.saveProfiles([next]);
  await deps.outbox.send([customerUpdated(next, "consent")]);
  return next;
}
