import { readFileSync } from "node:fs";
import { ssoUpstreamKinds, type SsoUpstreamKind } from "@symbiont/contracts";
import { z } from "zod";

// The OpenID providers partner-sim plays (`PARTNER_SIM_IDPS`, JSON): each a real
// oidc-provider at `<public URL>/idp/<name>` with its own test people. A client's secret is
// never in this list: it names the environment variable (from a Secret's key) or the mounted
// file that holds it.

const clientSchema = z
  .strictObject({
    clientId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "letters, digits, . _ -"),
    /** The environment variable that holds the client's secret (e.g. from a secretKeyRef). */
    clientSecretEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name")
      .optional(),
    /** Or the file that holds it (a mounted Secret). */
    clientSecretFile: z.string().startsWith("/", "an absolute path").optional(),
    redirectUris: z.array(z.url()).min(1),
  })
  .refine((client) => Boolean(client.clientSecretEnv) !== Boolean(client.clientSecretFile), {
    message: "name the secret by exactly one of clientSecretEnv, clientSecretFile",
  });

const idpSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits, dashes"),
  kind: z.enum(ssoUpstreamKinds),
  displayName: z.string().min(1).max(100).optional(),
  clients: z.array(clientSchema).min(1),
});

const idpsSchema = z
  .array(idpSchema)
  .refine((idps) => new Set(idps.map((i) => i.name)).size === idps.length, "names repeat");

export interface IdpClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface IdpConfig {
  name: string;
  kind: SsoUpstreamKind;
  displayName: string;
  clients: IdpClient[];
}

/** Parses `PARTNER_SIM_IDPS` and reads each client's secret; errors name the field. */
export function parseIdps(
  text: string | undefined,
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): IdpConfig[] {
  if (!text?.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("PARTNER_SIM_IDPS: expected a JSON array of identity providers");
  }
  const parsed = idpsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = ["PARTNER_SIM_IDPS", ...issue.path.map(String)].join(".");
    throw new Error(`${where}: ${issue.message}`);
  }
  return parsed.data.map((idp, i) => ({
    name: idp.name,
    kind: idp.kind,
    displayName:
      idp.displayName ?? (idp.kind === "government" ? "Government services" : "Social network"),
    clients: idp.clients.map((client, j) => {
      const where = `PARTNER_SIM_IDPS.${i}.clients.${j}`;
      let secret: string | undefined;
      if (client.clientSecretEnv) {
        secret = env[client.clientSecretEnv];
        if (!secret)
          throw new Error(`${where}.clientSecretEnv: ${client.clientSecretEnv} is not set`);
      } else {
        try {
          secret = readFile(client.clientSecretFile!).trim();
        } catch {
          throw new Error(`${where}.clientSecretFile: ${client.clientSecretFile} cannot be read`);
        }
      }
      if (secret.length < 16) throw new Error(`${where}: the client secret needs 16+ characters`);
      return { clientId: client.clientId, clientSecret: secret, redirectUris: client.redirectUris };
    }),
  }));
}
