import type { Account, NewUpstreamAccount } from "./account.js";
import { emailSchema } from "./account.js";

/** What the SSO takes from an upstream's verified ID token (and userinfo). */
export interface UpstreamPerson {
  sub: string;
  /** Present only when the upstream says it verified the address. */
  verifiedEmail?: string;
  name: string;
}

/** Reads an upstream's claims: a verified e-mail only with `email_verified: true`. */
export function upstreamPerson(
  claims: Record<string, unknown>,
  fallbackName: string,
): UpstreamPerson {
  const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
  const email = emailSchema.safeParse(claims.email);
  const joined = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(" ");
  const name = (text(claims.name) || joined || fallbackName).slice(0, 200);
  return {
    sub: String(claims.sub),
    ...(email.success && claims.email_verified === true ? { verifiedEmail: email.data } : {}),
    name,
  };
}

export type LinkDecision =
  /** The upstream identity is linked already: its account. */
  | { action: "signIn"; subject: string }
  /** A first sign-in whose verified e-mail is an account's: link the identity to it. */
  | { action: "link"; subject: string }
  /** A first sign-in of someone unknown: a new customer account. */
  | { action: "create"; account: NewUpstreamAccount }
  /**
   * A first sign-in whose verified e-mail belongs to an account with more than customer
   * rights (a manager, a partner): an outside provider's word does not open it.
   */
  | { action: "refuse"; reason: string };

/**
 * The linking rules. An identity is the upstream's (issuer, sub): once linked, it always
 * signs in to the same account, whatever its e-mail says later. A first sign-in joins the
 * account of its e-mail only when the upstream verified that address; otherwise, or when no
 * account has it, it gets a new customer account (with the address only when verified).
 * An account with other rights than a customer's is never joined that way: its owner signs
 * in with its password.
 */
export function decideLink(input: {
  person: UpstreamPerson;
  /** The account the identity is linked to, if any (and it still exists). */
  linkedAccount: Account | undefined;
  /** The account with the person's verified e-mail, if any. */
  accountWithEmail: Account | undefined;
}): LinkDecision {
  if (input.linkedAccount) return { action: "signIn", subject: input.linkedAccount.subject };
  const { verifiedEmail } = input.person;
  if (verifiedEmail && input.accountWithEmail?.email === verifiedEmail) {
    const other = input.accountWithEmail.roles.filter((role) => role !== "customer");
    if (other.length > 0)
      return {
        action: "refuse",
        reason: `The account of ${verifiedEmail} has ${other.join(" and ")} rights: sign in to it with its e-mail and password.`,
      };
    return { action: "link", subject: input.accountWithEmail.subject };
  }
  return {
    action: "create",
    account: {
      ...(verifiedEmail ? { email: verifiedEmail } : {}),
      emailVerified: Boolean(verifiedEmail),
      name: input.person.name,
    },
  };
}
