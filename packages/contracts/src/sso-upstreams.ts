import type { SsoLoginProvider } from "./sso-login.js";

// The SSO's upstream identity providers, as the SSO and whoever registers it as a client at
// one (partner-sim's providers, the demo) agree on them.

/** The kinds of upstream identity providers the SSO signs people in through. */
export const ssoUpstreamKinds = ["social", "government"] as const;
export type SsoUpstreamKind = (typeof ssoUpstreamKinds)[number];

/** The `provider` an `sso.login` through an upstream of each kind reports. */
export const upstreamLoginProvider: Record<SsoUpstreamKind, SsoLoginProvider> = {
  social: "social",
  government: "gosuslugi",
};

/** Where an upstream sends a person back to the SSO: the redirect URI registered there. */
export function ssoUpstreamRedirectUri(ssoIssuer: string, upstream: string): string {
  return `${ssoIssuer.replace(/\/+$/, "")}/upstream/${upstream}/callback`;
}
