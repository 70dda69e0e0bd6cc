import { z } from "zod";
import { toTouchpoint } from "./to-touchpoint.js";
import { identitySchema, personNameSchema, type Touchpoint } from "./touchpoint.js";

/**
 * `sso.login` as CRM reads it (docs/module-contract.md): a person signed in through the
 * ecosystem's single sign-on. A tolerant reader: fields it does not use are ignored.
 */
export const ssoLoginSchema = z.object({
  sessionId: z.string().trim().min(1).max(256),
  subject: z.string().trim().min(1).max(256),
  provider: z.enum(["email", "password", "social", "gosuslugi"]),
  email: identitySchema.shape.email,
  phone: identitySchema.shape.phone,
  name: personNameSchema.optional(),
  loggedInAt: z.iso.datetime({ offset: true }),
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
  return { ...touchpoint, keys: [`sso:${login.subject}`, ...touchpoint.keys] };
}
