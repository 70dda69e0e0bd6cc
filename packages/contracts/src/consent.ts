import { z } from "zod";

// What a person agreed to, as every module that records or honours it names it. Channels of
// contact (SMS, e-mail, messenger) are asked before a module writes to the person; `cookies`
// is the main site's banner: whether this browser may be remembered (a cookie id as the
// visitor's hint). CRM keeps the latest statement of each (`profile.consent.<kind>`).

/** Channels a module may contact a person on, each with its own consent. */
export const contactChannels = ["sms", "email", "messenger"] as const;
export type ContactChannel = (typeof contactChannels)[number];

/** Everything a consent is asked for: the contact channels and the site's cookies. */
export const consentKinds = [...contactChannels, "cookies"] as const;
export type ConsentKind = (typeof consentKinds)[number];

/** Consent as a touchpoint or a person states it: `true` granted, `false` refused or withdrawn. */
export const consentStatementSchema = z.partialRecord(z.enum(consentKinds), z.boolean());
export type ConsentStatement = z.output<typeof consentStatementSchema>;

/** The cookie banner's two answers, as the site's form sends them (`choice`). */
export const cookieChoices = ["accept", "refuse"] as const;
export type CookieChoice = (typeof cookieChoices)[number];
export const cookieChoiceSchema = z.enum(cookieChoices, {
  error: `choose one of ${cookieChoices.join(", ")}`,
});

/** The banner's choice as a consent statement CRM stores. */
export function cookieConsent(choice: CookieChoice): ConsentStatement {
  return { cookies: choice === "accept" };
}
