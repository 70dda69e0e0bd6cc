// Deterministic identity rules (MISSION C2): two touchpoints that share one of these keys
// belong to the same person. Keys are normalised so that spelling variants match.

import { ssoAccount } from "@symbiont/contracts";

export type KeyKind = "email" | "phone" | "card" | "sso";

export interface IdentityInput {
  email?: string;
  phone?: string;
  loyaltyCard?: string;
  sso?: { provider: string; subject: string };
  cookieId?: string;
}

/** Lower case, no "+tag", and for Gmail no dots in the local part. */
export function normaliseEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1) return undefined;
  let local = email.slice(0, at).split("+")[0] ?? "";
  let domain = email.slice(at + 1);
  if (domain === "googlemail.com") domain = "gmail.com";
  if (domain === "gmail.com") local = local.replaceAll(".", "");
  return local ? `${local}@${domain}` : undefined;
}

/**
 * Digits in international form: "+7 (912) 345-67-89", "8 912 345 67 89" and
 * "0079123456789" are one number. A national number without a country code gets
 * `defaultCountryCode`. Too short or too long: not a phone key.
 */
export function normalisePhone(raw: string, defaultCountryCode = "7"): string | undefined {
  const trimmed = raw.trim();
  let digits = trimmed.replace(/\D/g, "");
  if (!trimmed.startsWith("+")) {
    if (digits.startsWith("00")) digits = digits.slice(2);
    else if (defaultCountryCode === "7" && digits.length === 11 && digits.startsWith("8")) {
      digits = `7${digits.slice(1)}`;
    } else if (digits.length === 10) digits = `${defaultCountryCode}${digits}`;
  }
  return digits.length >= 8 && digits.length <= 15 ? digits : undefined;
}

/** Upper case, letters and digits only. */
export function normaliseCard(raw: string): string | undefined {
  const card = raw.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return card.length >= 4 ? card : undefined;
}

export function keyKind(key: string): KeyKind {
  return key.slice(0, key.indexOf(":")) as KeyKind;
}

/** The deterministic keys of one touchpoint, strongest first (sso, card, email, phone). */
export function identityKeys(identity: IdentityInput, defaultCountryCode?: string): string[] {
  const keys: string[] = [];
  if (identity.sso) {
    keys.push(`sso:${ssoAccount(identity.sso.subject, identity.sso.provider)}`);
  }
  const card = identity.loyaltyCard === undefined ? undefined : normaliseCard(identity.loyaltyCard);
  if (card) keys.push(`card:${card}`);
  const email = identity.email === undefined ? undefined : normaliseEmail(identity.email);
  if (email) keys.push(`email:${email}`);
  const phone =
    identity.phone === undefined ? undefined : normalisePhone(identity.phone, defaultCountryCode);
  if (phone) keys.push(`phone:${phone}`);
  return keys;
}

/** The probabilistic hint: a browser cookie is shared by whoever uses the browser. */
export function cookieHint(identity: IdentityInput): string | undefined {
  const cookie = identity.cookieId?.trim();
  return cookie ? `cookie:${cookie}` : undefined;
}
