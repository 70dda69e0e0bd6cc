import { readFileSync } from "node:fs";
import { ssoUpstreamKinds } from "@symbiont/contracts";
import { z } from "zod";

/**
 * The upstream identity providers people may sign in through (`SSO_UPSTREAMS`, JSON): a
 * social network, a government-services login. The SSO is a confidential OpenID client of
 * each; the client secret is never in the list: it names the environment variable (set from
 * a Secret's key) or the mounted file that holds it.
 */
const upstreamSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits, dashes"),
    kind: z.enum(ssoUpstreamKinds),
    displayName: z.string().trim().min(1).max(100),
    issuer: z.url().transform((url) => url.replace(/\/+$/, "")),
    clientId: z.string().min(1).max(200),
    clientSecretEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name")
      .optional(),
    clientSecretFile: z.string().startsWith("/", "an absolute path").optional(),
    scopes: z.array(z.string().regex(/^[\x21-\x7e]+$/)).default(["openid", "profile", "email"]),
  })
  .refine((u) => Boolean(u.clientSecretEnv) !== Boolean(u.clientSecretFile), {
    message: "name the client secret by exactly one of clientSecretEnv, clientSecretFile",
  })
  .refine((u) => u.scopes.includes("openid"), { message: "scopes must include openid" });

export interface SsoUpstream {
  name: string;
  kind: (typeof ssoUpstreamKinds)[number];
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export type SecretSource = {
  env: NodeJS.ProcessEnv;
  readFile: (path: string) => string;
};

/**
 * `SSO_UPSTREAMS` as a schema of the SSO's configuration: names unique, each client secret
 * read from where it is named, so a missing one stops the SSO at start naming it.
 */
export function upstreamsSchema(
  source: SecretSource = { env: process.env, readFile: (path) => readFileSync(path, "utf8") },
) {
  return z
    .string()
    .default("[]")
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "expected a JSON array of upstream providers" });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .array(upstreamSchema)
        .refine((list) => new Set(list.map((u) => u.name)).size === list.length, "names repeat"),
    )
    .transform((list, ctx): SsoUpstream[] =>
      list.map(({ clientSecretEnv, clientSecretFile, ...upstream }, index) => {
        let secret: string | undefined;
        if (clientSecretEnv) {
          secret = source.env[clientSecretEnv];
          if (!secret)
            ctx.addIssue({
              code: "custom",
              path: [index, "clientSecretEnv"],
              message: `${clientSecretEnv} is not set`,
            });
        } else {
          try {
            secret = source.readFile(clientSecretFile!).trim();
          } catch {
            ctx.addIssue({
              code: "custom",
              path: [index, "clientSecretFile"],
              message: `${clientSecretFile} cannot be read`,
            });
          }
        }
        return { ...upstream, clientSecret: secret ?? "" };
      }),
    );
}
