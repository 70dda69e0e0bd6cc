import { z } from "zod";

/**
 * A relying party (a cabinet): a public client that signs people in with the authorization
 * code flow and PKCE (S256), so no client secret has to be shared with it.
 */
export const ssoClientSchema = z.object({
  clientId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lower-case letters, digits, dashes"),
  redirectUris: z.array(z.url()).min(1),
  postLogoutRedirectUris: z.array(z.url()).default([]),
  /** Roles a person needs to sign in to this client (none: everyone with an account). */
  roles: z.array(z.string().min(1)).default([]),
});

export type SsoClient = z.output<typeof ssoClientSchema>;

export const clientsSchema = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "expected a JSON array of clients" });
      return z.NEVER;
    }
  })
  .pipe(z.array(ssoClientSchema).min(1));
