import { z } from "zod";

/**
 * The SSO's signing keys, a private JWKS kept in a Secret. The first key signs new tokens;
 * the others stay published at jwks_uri so tokens they signed still verify: a rotation puts
 * a new key first, and drops the old one once its tokens have expired.
 */
const privateJwk = z.looseObject({
  kty: z.enum(["EC", "RSA", "OKP"]),
  kid: z.string().min(1, "every key needs a kid"),
  d: z.string().min(1, "a signing key must be private (no d)"),
});

export type PrivateJwk = z.output<typeof privateJwk>;

export const signingKeysSchema = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: 'expected JSON, a JWKS {"keys": [...]}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.object({
      keys: z
        .array(privateJwk)
        .min(1, "at least one key")
        .refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, "kids repeat"),
    }),
  );
