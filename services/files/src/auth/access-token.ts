import { SignJWT, errors, jwtVerify } from "jose";
import { z } from "zod";
import { unauthenticated } from "../errors.js";
import type { Principal } from "./principal.js";

// Callers present a bearer token: a JWT signed with HS256 by whoever authenticated the
// person (the ecosystem's SSO, a cabinet's back end, the gateway), with a key the files
// module shares with them through a Secret. Headers a caller sets itself prove nothing,
// so none are trusted. The audience keeps tokens minted for other modules out.

export const accessTokenAudience = "symbiont-files";

const idSchema = z.string().regex(/^[A-Za-z0-9_.@-]{1,100}$/);

export const accessClaimsSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("internal"),
    sub: idSchema,
    teams: z.array(idSchema).max(100).default([]),
  }),
  z.object({ kind: z.literal("partner"), sub: idSchema, partner: idSchema }),
]);
export type AccessClaims = z.input<typeof accessClaimsSchema>;

const encoder = new TextEncoder();

/** Mints a token (for the issuers, the demo, tests and benchmarks). */
export async function signAccessToken(
  claims: AccessClaims,
  key: string,
  ttlSeconds = 3_600,
): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(sub)
    .setAudience(accessTokenAudience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encoder.encode(key));
}

/** The principal of a valid token; a 401 saying why otherwise. Any of `keys` may have signed it. */
export async function verifyAccessToken(token: string, keys: string[]): Promise<Principal> {
  let lastError: unknown;
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(token, encoder.encode(key), {
        audience: accessTokenAudience,
        algorithms: ["HS256"],
        requiredClaims: ["exp", "sub"],
      });
      const claims = accessClaimsSchema.safeParse(payload);
      if (!claims.success) throw unauthenticated("the access token's claims are not valid");
      const c = claims.data;
      return c.kind === "internal"
        ? { kind: "internal", id: c.sub, teams: c.teams }
        : { kind: "partner", id: c.sub, partner: c.partner };
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) {
        lastError = error;
        continue;
      }
      if (error instanceof errors.JWTExpired) throw unauthenticated("the access token has expired");
      if (error instanceof errors.JOSEError)
        throw unauthenticated(`the access token is not valid (${error.code})`);
      throw error;
    }
  }
  throw unauthenticated(
    lastError ? "the access token's signature is not valid" : "no key to check the token",
  );
}
