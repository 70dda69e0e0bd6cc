import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { IdpConfig } from "./idp-config.js";
import { idpPeople, personClaims } from "./idp-people.js";
import { idpMessagePage } from "./idp-pages.js";
import { memoryAdapter } from "./memory-adapter.js";

const scopes = ["openid", "email", "profile"];

/**
 * One upstream identity provider: node-oidc-provider (OpenID Certified) at `issuer`, with
 * discovery, authorization code with PKCE (S256), the token endpoint (client secret, basic or
 * post), JWKS and userinfo. Its signing key and cookie keys are made at start: a simulator
 * keeps nothing, and a relying party fetches the JWKS again for a key it does not know.
 */
export function createIdentityProvider(
  idp: IdpConfig,
  issuer: string,
  mode: () => IdpMode = () => "ok",
): Provider {
  const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
    format: "jwk",
  });
  const kid = `${idp.name}-${Date.now()}`;
  const people = idpPeople[idp.kind];
  const configuration: Configuration = {
    adapter: memoryAdapter(),
    clients: idp.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "ES256",
    })),
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    jwks: { keys: [{ ...key, kid, alg: "ES256", use: "sig" }] },
    // Own cookie names: on one host (the demo's 127.0.0.1) a browser would mix the cookies of
    // this provider and of the SSO, which is an oidc-provider too (cookies ignore ports).
    cookies: {
      keys: [randomBytes(32).toString("base64url")],
      names: {
        session: `_idp_${idp.name}_session`,
        interaction: `_idp_${idp.name}_interaction`,
        resume: `_idp_${idp.name}_resume`,
      },
    },
    pkce: { required: () => true },
    scopes,
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name", "birthdate", "name_verified"],
    },
    // The ID token carries the claims asked, as many upstreams do (the SSO reads it).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    interactions: {
      url: (_ctx, interaction) => `/idp/${idp.name}/interaction/${interaction.uid}`,
    },
    // The person agrees by choosing who to sign in as: the grant is given without asking again.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const client = ctx.oidc.client!;
      const session = ctx.oidc.session!;
      const grantId = session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId!,
      });
      grant.addOIDCScope(scopes.join(" "));
      grant.addOIDCClaims(["name_verified"]);
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, sub) {
      const person = people.find((p) => p.sub === sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: async (_use, scope) => ({
          ...personClaims(person, new Set(scope.split(" "))),
          sub,
        }),
      };
    },
    renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = idpMessagePage(idp, "Sign-in error", String(out.error_description ?? out.error));
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = true;
  // A misbehaving upstream, when switched to: the token endpoint's ID token is altered after
  // the provider made it (the failure modes a relying party must refuse).
  provider.use(async (ctx, next) => {
    await next();
    const current = mode();
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (current === "ok" || ctx.path !== "/token" || typeof body?.id_token !== "string") return;
    ctx.body = { ...body, id_token: alterIdToken(body.id_token, current, key) };
  });
  return provider;
}

/**
 * How the provider behaves: `ok`; `wrong-issuer` signs ID tokens properly but names another
 * issuer; `bad-signature` sends ID tokens whose signature does not verify.
 */
export const idpModes = ["ok", "wrong-issuer", "bad-signature"] as const;
export type IdpMode = (typeof idpModes)[number];

function alterIdToken(token: string, mode: Exclude<IdpMode, "ok">, key: object): string {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  if (mode === "bad-signature") {
    const bytes = Buffer.from(signature, "base64url");
    bytes[0] = bytes[0]! ^ 0xff;
    return `${header}.${payload}.${bytes.toString("base64url")}`;
  }
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
    iss: string;
  };
  const forged = Buffer.from(
    JSON.stringify({ ...claims, iss: `${claims.iss}-elsewhere` }),
  ).toString("base64url");
  const signed = `${header}.${forged}`;
  const privateKey = createPrivateKey({ key: key as never, format: "jwk" });
  const jws = sign("sha256", Buffer.from(signed), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${signed}.${jws.toString("base64url")}`;
}
