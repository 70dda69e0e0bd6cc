import { ssoAccount, ssoLoginSchema as ssoLoginContract } from "@symbiont/contracts";
import type { z } from "zod";
import { toTouchpoint } from "./to-touchpoint.js";
import { identitySchema, personNameSchema, type Touchpoint } from "./touchpoint.js";

/**
 * `sso.login` as CRM reads it: the contract's shape (`@symbiont/contracts`), with e-mail, phone
 * and name checked and normalised as every touchpoint's are. A tolerant reader: fields it does
 * not use (the upstream a person came through) are ignored.
 */
export const ssoLoginSchema = ssoLoginContract.extend({
  email: identitySchema.shape.email,
  phone: identitySchema.shape.phone,
  name: personNameSchema.optional(),
});

export type SsoLogin = z.output<typeof ssoLoginSchema>;

/**
 * A login as a touchpoint of channel `sso_login`: the SSO subject is the person's strongest
 * key (`sso:<subject>`, whichever way they signed in), then their e-mail and phone. One
 * touchpoint per session, so a redelivered login changes nothing.
 */
export function ssoLoginTouchpoint(login: SsoLogin, defaultCountryCode: string): Touchpoint {
  const touchpoint = toTouchpoint(
    {
      id: `sso.login:${login.sessionId}`,
      channel: "sso_login",
      occurredAt: login.loggedInAt,
      enteredBy: { kind: "auto" },
      identity: { email: login.email, phone: login.phone },
      ...(login.name ? { name: login.name } : {}),
    },
    `sso.login:${login.sessionId}`,
    login.loggedInAt,
    defaultCountryCode,
  );
  return { ...touchpoint, keys: [`sso:${ssoAccount(login.subject)}`, ...touchpoint.keys] };
}
