import { randomUUID } from "node:crypto";
import type { SsoLoginProvider } from "@symbiont/contracts";
import type { Outbox } from "@symbiont/service-kit";
import type { Counter } from "prom-client";
import type { Account } from "../domain/account.js";
import type { SsoClient } from "../domain/sso-clients.js";
import { ssoLoginEvent } from "../events/sso-login.js";

export interface CompleteSignInDeps {
  clients: SsoClient[];
  outbox: Outbox;
  signIns: Counter<"result">;
  now: () => Date;
}

export type SignInOutcome =
  { ok: true } | { ok: false; status: 403; title: string; message: string };

/**
 * The end of every sign-in, by password or through an upstream: a cabinet that names roles
 * admits only people with one of them; otherwise `sso.login` is published (through the
 * outbox, so a sidecar that is down delays it, never loses it) and `finish` hands the account
 * back to the OpenID provider.
 */
export async function completeSignIn(
  deps: CompleteSignInDeps,
  signIn: {
    clientId: unknown;
    account: Account;
    provider: SsoLoginProvider;
    upstream?: { name: string; issuer: string };
  },
  finish: (accountId: string) => Promise<void>,
): Promise<SignInOutcome> {
  const client = deps.clients.find((c) => c.clientId === signIn.clientId);
  const { account } = signIn;
  if (client?.roles.length && !account.roles.some((role) => client.roles.includes(role))) {
    deps.signIns.inc({ result: "forbidden" });
    return {
      ok: false,
      status: 403,
      title: "Not allowed",
      message: `This cabinet is for: ${client.roles.join(", ")}. Your account is not one of them.`,
    };
  }
  await deps.outbox.send([
    ssoLoginEvent(account, randomUUID(), signIn.provider, deps.now(), signIn.upstream),
  ]);
  deps.signIns.inc({ result: "signed_in" });
  await finish(account.subject);
  return { ok: true };
}
