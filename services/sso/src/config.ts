import { readFileSync } from "node:fs";
import { loadConfig, serviceEnv } from "@symbiont/service-kit";
import { z } from "zod";
import { clientsSchema } from "./domain/sso-clients.js";
import { signingKeysSchema } from "./domain/signing-keys.js";
import { upstreamsSchema } from "./domain/sso-upstreams.js";

const { SYMBIONT_PUBSUB_INTERNAL: _internal, ...moduleEnv } = serviceEnv;

const commaList = (minLength: number, what: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(minLength, `each ${what} needs ${minLength}+ characters`)).min(1));

export const ssoConfigShape = {
  ...moduleEnv,
  /** The corporate bus (a front-office module never sees the internal one). */
  SYMBIONT_PUBSUB_CORPORATE: z.string().min(1),
  /** The issuer: the public URL people's browsers reach the SSO at (no trailing slash). */
  SSO_ISSUER: z.url().transform((url) => url.replace(/\/+$/, "")),
  /** Private JWKS (JSON `{"keys": [...]}`, from a Secret); the first key signs. */
  SSO_SIGNING_KEYS: signingKeysSchema,
  /** Keys that sign the SSO's cookies (comma-separated, from a Secret); the first signs. */
  SSO_COOKIE_KEYS: commaList(32, "cookie key"),
  /** The relying parties (JSON array, see docs/module-contract.md "sso"). */
  SSO_CLIENTS: clientsSchema,
  /** Bearer token of the account admin API (from a Secret, 24+ characters). */
  SSO_ADMIN_TOKEN: z.string().min(24, "needs 24+ characters"),
  /** Lifetime of a browser session at the SSO, in seconds. */
  SSO_SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(8 * 3600),
};

export type SsoConfig = ReturnType<typeof loadSsoConfig>;

export function loadSsoConfig(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
) {
  return loadConfig(
    {
      ...ssoConfigShape,
      /**
       * Upstream identity providers (JSON, see docs/module-contract.md "sso"); each client
       * secret comes from the environment variable or file it names. Default: none.
       */
      SSO_UPSTREAMS: upstreamsSchema({ env, readFile }),
    },
    env,
  );
}
