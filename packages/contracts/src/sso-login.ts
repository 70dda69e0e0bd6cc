import { z } from "zod";

// `sso.login` (docs/module-contract.md): a person signed in at the ecosystem's single sign-on.
// The SSO publishes it, CRM reads it (linking the person by `sso:<subject>`): both take the
// topic, the ways of signing in and the shape from here. CRM's customer events then carry the
// person's SSO accounts (`accounts`), which the front office matches to the signed-in person:
// both spell an account with `ssoAccount`.

export const ssoLoginTopic = "sso.login";

/** How a person signed in: a password at the SSO, or through an upstream provider. */
export const ssoLoginProviders = ["email", "password", "social", "gosuslugi"] as const;
export type SsoLoginProvider = (typeof ssoLoginProviders)[number];

/** The upstream a sign-in went through: its configured name and its issuer. */
export const ssoLoginUpstreamSchema = z.object({
  name: z.string().min(1).max(63),
  issuer: z.url(),
});

/**
 * The event's data. Readers may narrow the identity fields (CRM normalises e-mail and phone)
 * by extending this schema; fields they do not use are ignored.
 */
export const ssoLoginSchema = z.object({
  sessionId: z.string().trim().min(1).max(256),
  subject: z.string().trim().min(1).max(256),
  provider: z.enum(ssoLoginProviders),
  /** Present when the person signed in through an upstream provider. */
  upstream: ssoLoginUpstreamSchema.optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  name: z.string().optional(),
  loggedInAt: z.iso.datetime({ offset: true }),
});

export type SsoLogin = z.input<typeof ssoLoginSchema>;

/**
 * An SSO account as CRM keys a person by it (`sso:<account>`) and its customer events carry it
 * (`accounts`): the subject alone when it comes from the SSO's own `sso.login`, or
 * `<provider>:<subject>` when a touchpoint names the sign-in it came through.
 */
export function ssoAccount(subject: string, provider?: string): string {
  return provider === undefined
    ? subject.trim()
    : `${provider.trim().toLowerCase()}:${subject.trim()}`;
}
