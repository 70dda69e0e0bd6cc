import type { OutgoingEvent } from "@symbiont/service-kit";
import type { Account } from "../domain/account.js";

export const ssoLoginTopic = "sso.login";

/** `sso.login` (docs/module-contract.md): who signed in, how and when; CRM links it by subject. */
export interface SsoLogin {
  sessionId: string;
  subject: string;
  provider: "email" | "password" | "social" | "gosuslugi";
  email?: string;
  name?: string;
  loggedInAt: string;
}

/** The event of one sign-in; its id is stable for that sign-in, so a re-publish is one login. */
export function ssoLoginEvent(
  account: Account,
  sessionId: string,
  provider: SsoLogin["provider"],
  at: Date,
): OutgoingEvent<SsoLogin> {
  return {
    id: `${ssoLoginTopic}:${sessionId}`,
    topic: ssoLoginTopic,
    data: {
      sessionId,
      subject: account.subject,
      provider,
      email: account.email,
      name: account.name,
      loggedInAt: at.toISOString(),
    },
  };
}
