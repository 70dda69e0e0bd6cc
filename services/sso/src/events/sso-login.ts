import { ssoLoginTopic, type SsoLogin, type SsoLoginProvider } from "@symbiont/contracts";
import type { OutgoingEvent } from "@symbiont/service-kit";
import type { Account } from "../domain/account.js";

export { ssoLoginTopic, type SsoLogin };

/**
 * `sso.login` (the contract in `@symbiont/contracts`): who signed in, how (a password, or
 * which upstream provider) and when; CRM links it by subject. Its id is stable for that
 * sign-in, so a re-publish is one login.
 */
export function ssoLoginEvent(
  account: Account,
  sessionId: string,
  provider: SsoLoginProvider,
  at: Date,
  upstream?: { name: string; issuer: string },
): OutgoingEvent<SsoLogin> {
  return {
    id: `${ssoLoginTopic}:${sessionId}`,
    topic: ssoLoginTopic,
    data: {
      sessionId,
      subject: account.subject,
      provider,
      ...(upstream ? { upstream } : {}),
      ...(account.email ? { email: account.email } : {}),
      name: account.name,
      loggedInAt: at.toISOString(),
    },
  };
}
