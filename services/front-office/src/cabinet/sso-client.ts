import * as oidc from "openid-client";

// The cabinet as an OpenID Connect relying party of the ecosystem's SSO (openid-client,
// OpenID Certified): authorization code with PKCE (S256), state and nonce, refresh tokens,
// RP-initiated logout. The SSO's metadata is discovered on first use and again after a
// failure, so the cabinet starts (and shows its pages) while the SSO is down.

export interface SignInStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface SignedIn {
  subject: string;
  name?: string;
  email?: string;
  roles: string[];
  partnerId?: string;
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  accessExpiresAt: number;
}

export interface SsoClient {
  start(): Promise<SignInStart>;
  finish(callbackUrl: URL, started: Omit<SignInStart, "url">): Promise<SignedIn>;
  refresh(refreshToken: string): Promise<Omit<SignedIn, "subject" | "roles"> & Partial<SignedIn>>;
  endSessionUrl(idToken: string): Promise<string>;
  /** The claims of a bearer access token (the SSO's userinfo); throws when it is not valid. */
  userinfo(accessToken: string): Promise<Record<string, unknown>>;
}

export function createSsoClient(options: {
  issuer: string;
  clientId: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}): SsoClient {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(new URL(options.issuer), options.clientId, undefined, oidc.None(), {
        ...(options.issuer.startsWith("http:") ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };
  const scope = "openid email profile roles";
  const signedIn = (tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers) => {
    const claims = tokens.claims();
    return {
      idToken: tokens.id_token!,
      accessToken: tokens.access_token,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      accessExpiresAt: Date.now() + (tokens.expiresIn() ?? 60) * 1000,
      ...(claims
        ? {
            subject: claims.sub,
            ...(typeof claims.name === "string" ? { name: claims.name } : {}),
            ...(typeof claims.email === "string" ? { email: claims.email } : {}),
            roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
            ...(typeof claims.partner_id === "string" ? { partnerId: claims.partner_id } : {}),
          }
        : {}),
    };
  };
  return {
    async start() {
      const config = await configuration();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      return { url: url.href, state, nonce, codeVerifier };
    },
    async finish(callbackUrl, started) {
      const config = await configuration();
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: started.codeVerifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
      const result = signedIn(tokens);
      if (!result.subject) throw new Error("the SSO returned no ID token claims");
      return result as SignedIn;
    },
    async refresh(refreshToken) {
      return signedIn(await oidc.refreshTokenGrant(await configuration(), refreshToken));
    },
    async endSessionUrl(idToken) {
      return oidc.buildEndSessionUrl(await configuration(), {
        id_token_hint: idToken,
        post_logout_redirect_uri: options.postLogoutRedirectUri,
      }).href;
    },
    async userinfo(accessToken) {
      return (await oidc.fetchUserInfo(
        await configuration(),
        accessToken,
        oidc.skipSubjectCheck,
      )) as Record<string, unknown>;
    },
  };
}
