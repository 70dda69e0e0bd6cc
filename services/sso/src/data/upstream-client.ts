import * as oidc from "openid-client";
import type { SsoUpstream } from "../domain/sso-upstreams.js";

// The SSO as an OpenID Connect relying party of an upstream provider (openid-client, OpenID
// Certified): authorization code with PKCE (S256), state and nonce; the ID token's signature
// is checked against the upstream's JWKS (non-repudiation checks on), then its issuer,
// audience, expiry and nonce. Metadata is discovered on first use and again after a failure,
// so the SSO starts while an upstream is down.

export interface UpstreamStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type UpstreamFailure =
  /** The person cancelled, or the upstream refused them (`error` in the callback). */
  | "Denied"
  /** The upstream's answer failed a check (issuer, signature, state, code). */
  | "Invalid"
  /** The upstream did not answer. */
  | "Unreachable";

export class UpstreamRefused extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    readonly upstreamError?: string,
  ) {
    super(message);
  }
}

export interface UpstreamClient {
  start(redirectUri: string): Promise<UpstreamStart>;
  /** The verified claims of the person (ID token, plus userinfo when the upstream has one). */
  finish(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<Record<string, unknown>>;
}

export function createUpstreamClient(upstream: SsoUpstream): UpstreamClient {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(
        new URL(upstream.issuer),
        upstream.clientId,
        undefined,
        oidc.ClientSecretBasic(upstream.clientSecret),
        upstream.issuer.startsWith("http:") ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .then((config) => {
        oidc.enableNonRepudiationChecks(config);
        return config;
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw new UpstreamRefused(
          "Unreachable",
          `${upstream.displayName} does not answer (${reasonOf(error)})`,
        );
      });
    return discovered;
  };
  return {
    async start(redirectUri) {
      const config = await configuration();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: upstream.scopes.join(" "),
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      return { url: url.href, state, nonce, codeVerifier };
    },
    async finish(callbackUrl, checks) {
      const config = await configuration();
      try {
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims()!;
        if (!config.serverMetadata().userinfo_endpoint) return { ...claims };
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        return { ...info, ...claims };
      } catch (error) {
        throw refusal(upstream, error);
      }
    },
  };
}

function refusal(upstream: SsoUpstream, error: unknown): UpstreamRefused {
  const name = upstream.displayName;
  if (error instanceof oidc.AuthorizationResponseError) {
    return error.error === "access_denied"
      ? new UpstreamRefused(
          "Denied",
          `The sign-in at ${name} was cancelled or refused${describe(error.error_description)}.`,
          error.error,
        )
      : new UpstreamRefused(
          "Invalid",
          `${name} answered with an error: ${error.error}${describe(error.error_description)}.`,
          error.error,
        );
  }
  if (error instanceof oidc.ResponseBodyError)
    return new UpstreamRefused(
      "Invalid",
      `${name} refused the sign-in code: ${error.error}${describe(error.error_description)}.`,
      error.error,
    );
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^(OAUTH_|ERR_J)/.test(code))
    return new UpstreamRefused(
      "Invalid",
      `The answer from ${name} failed a check: ${reasonOf(error)}.`,
    );
  return new UpstreamRefused("Unreachable", `${name} does not answer (${reasonOf(error)}).`);
}

function describe(text: string | undefined): string {
  return text ? ` (${text})` : "";
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== message
    ? `${message}: ${cause.message}`
    : message;
}
