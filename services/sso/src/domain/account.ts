import { frontOfficeRoles, type FrontOfficeRole } from "@symbiont/contracts";
import { z } from "zod";

/** What a person can do in the front office (`@symbiont/contracts`); a cabinet admits only the roles it names. */
export const roles = frontOfficeRoles;
export type Role = FrontOfficeRole;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("expected an e-mail address").max(254));

/** A new account, as the admin API and the sign-up form take it. */
export const newAccountSchema = z.object({
  email: emailSchema,
  password: z.string().min(10, "a password needs 10+ characters").max(200),
  name: z.string().trim().min(1).max(200),
  roles: z.array(z.enum(roles)).min(1).default(["customer"]),
  /** The partner a partner's person acts for (marketplace or company partner). */
  partnerId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional(),
});

export type NewAccount = z.output<typeof newAccountSchema>;

/**
 * An account as stored: the subject is the SSO's own stable id for the person. One made at a
 * sign-in through an upstream provider has no password, and an e-mail only when the upstream
 * vouched for it.
 */
export interface Account {
  subject: string;
  email?: string;
  /** The e-mail address was verified (by the upstream that gave it). */
  emailVerified?: boolean;
  name: string;
  roles: Role[];
  partnerId?: string;
  passwordHash?: string;
  createdAt: Date;
}

/** A customer account made at a sign-in through an upstream provider. */
export interface NewUpstreamAccount {
  email?: string;
  emailVerified: boolean;
  name: string;
}

/** The claims an ID token and userinfo carry for the scopes a client asked. */
export function accountClaims(
  account: Account,
  scopes: Set<string>,
): { sub: string } & Record<string, unknown> {
  return {
    sub: account.subject,
    ...(scopes.has("email") && account.email
      ? { email: account.email, email_verified: account.emailVerified ?? false }
      : {}),
    ...(scopes.has("profile") ? { name: account.name } : {}),
    ...(scopes.has("roles")
      ? { roles: account.roles, ...(account.partnerId ? { partner_id: account.partnerId } : {}) }
      : {}),
  };
}
