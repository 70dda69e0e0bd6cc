import type { CustomerContact } from "../data/customer-store.js";
import type { ProfileData } from "../events/consumed-topics.js";

/**
 * How to reach a person, from CRM's profile: the first `phone:` key (CRM keeps the digits
 * with the country code, `phone:79161234567`) as E.164 (`+79161234567`), the first name, the
 * SMS and messenger consent, and the channel the person prefers.
 */
export function contactOf(profile: ProfileData): CustomerContact {
  const digits = profile.keys
    .find((key) => key.startsWith("phone:"))
    ?.slice("phone:".length)
    .replace(/\D/g, "");
  const phone = digits ? `+${digits}` : undefined;
  return {
    id: profile.id,
    version: profile.version,
    ...(profile.names[0] ? { name: profile.names[0] } : {}),
    ...(phone ? { phone } : {}),
    smsConsent: profile.consent.sms?.granted === true,
    messengerConsent: profile.consent.messenger?.granted === true,
    ...(profile.preferredChannel ? { preferredChannel: profile.preferredChannel.channel } : {}),
    ...(profile.status === "merged" && profile.mergedInto
      ? { mergedInto: profile.mergedInto }
      : {}),
  };
}
