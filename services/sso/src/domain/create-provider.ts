import type { Connection } from "mongoose";
import Provider, {
  type Configuration,
  type KoaContextWithOIDC,
  type SigningAlgorithm,
} from "oidc-provider";
import { mongoAdapter } from "../data/oidc-adapter.js";
import { messagePage, signOutPage } from "../routes/sign-in-pages.js";
import type { AccountStore } from "../data/account-store.js";
import { accountClaims } from "./account.js";
import type { PrivateJwk } from "./signing-keys.js";
import type { SsoClient } from "./sso-clients.js";

export interface ProviderOptions {
  issuer: string;
  signingKeys: PrivateJwk[];
  cookieKeys: string[];
  clients: SsoClient[];
  accounts: AccountStore;
  connection: Connection;
  sessionTtlSeconds: number;
}

/** Scopes every client may ask; `roles` adds the person's roles and partner to the ID token. */
export const scopes = ["openid", "email", "profile", "roles", "offline_access"];

/**
 * The OpenID Connect provider (node-oidc-provider, OpenID Certified): authorization code
 * with PKCE (S256) only, public clients, refresh tokens, RP-initiated logout, revocation.
 * Sign-in and consent happen in our own interaction pages (routes/interaction-routes.ts);
 * the cabinets are the ecosystem's own, so their grant is given at sign-in, not asked.
 */
export function createProvider(options: ProviderOptions): Provider {
  const configuration: Configuration = {
    adapter: mongoAdapter(options.connection),
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      token_endpoint_auth_method: "none",
      id_token_signed_response_alg: signingAlgorithm(options.signingKeys[0]!),
      application_type: "web",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris,
    })),
    jwks: { keys: options.signingKeys },
    cookies: { keys: options.cookieKeys },
    pkce: { required: () => true },
    scopes,
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name"],
      roles: ["roles", "partner_id"],
    },
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = "html";
          ctx.body = signOutPage(form);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = "html";
          ctx.body = messagePage("Signed out", "You are signed out of Acme ID.");
        },
      },
    },
    ttl: {
      Session: options.sessionTtlSeconds,
      Interaction: 3600,
      Grant: options.sessionTtlSeconds,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
      RefreshToken: options.sessionTtlSeconds,
    },
    // A cabinet signs people in for as long as their SSO session lasts: refresh tokens
    // without asking for offline access again.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const client = ctx.oidc.client!;
      const session = ctx.oidc.session!;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId!,
      });
      grant.addOIDCScope(scopes.join(" "));
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, subject) {
      const account = await options.accounts.findBySubject(subject);
      if (!account) return undefined;
      return {
        accountId: subject,
        claims: async (_use, scope) => accountClaims(account, new Set(scope.split(" "))),
      };
    },
    renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = messagePage("Sign-in error", String(out.error_description ?? out.error));
    },
  };
  const provider = new Provider(options.issuer, configuration);
  // Behind a Service or an ingress that terminates TLS: trust X-Forwarded-Proto.
  provider.proxy = true;
  return provider;
}

/** The JWS algorithm of the signing key (the first key signs). */
export function signingAlgorithm(key: PrivateJwk): SigningAlgorithm {
  if (typeof key.alg === "string") return key.alg as SigningAlgorithm;
  if (key.kty === "RSA") return "RS256";
  if (key.kty === "OKP") return "EdDSA";
  const curve = (key as { crv?: string }).crv;
  return curve === "P-384" ? "ES384" : curve === "P-521" ? "ES512" : "ES256";
}
