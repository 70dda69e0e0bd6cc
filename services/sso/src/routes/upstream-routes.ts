import { createHash, timingSafeEqual } from "node:crypto";
import { ssoUpstreamRedirectUri, upstreamLoginProvider } from "@symbiont/contracts";
import { Router, type Request, type Response } from "express";
import { errors, type default as Provider } from "oidc-provider";
import { EmailTaken, type AccountStore } from "../data/account-store.js";
import type { PendingUpstreamStore } from "../data/pending-upstream-store.js";
import { UpstreamRefused, type UpstreamClient } from "../data/upstream-client.js";
import type { UpstreamIdentityStore } from "../data/upstream-identity-store.js";
import type { Account } from "../domain/account.js";
import { decideLink, upstreamPerson } from "../domain/link-upstream-account.js";
import type { SsoUpstream } from "../domain/sso-upstreams.js";
import { completeSignIn, type CompleteSignInDeps } from "./complete-sign-in.js";
import { messagePage } from "./sign-in-pages.js";

export interface UpstreamRouteDeps extends CompleteSignInDeps {
  provider: Provider;
  issuer: string;
  upstreams: SsoUpstream[];
  upstreamClient: (upstream: SsoUpstream) => UpstreamClient;
  accounts: AccountStore;
  identities: UpstreamIdentityStore;
  pending: PendingUpstreamStore;
}

/** How long a person may take at the upstream before the sign-in must start again. */
const pendingSeconds = 600;
const stateCookie = "sso_upstream_state";

/**
 * Sign-in through an upstream provider. `POST /interaction/<uid>/upstream/<name>` sends the
 * browser there with a fresh state, nonce and PKCE challenge (kept here, the state also in a
 * cookie of this browser); `GET /upstream/<name>/callback` checks the answer (state of this
 * browser, then code, PKCE, the ID token's signature, issuer, audience and nonce), links or
 * creates the account, and finishes the SSO interaction as a password sign-in does. Every
 * refusal is a page saying what went wrong, and creates nothing.
 */
export function upstreamRoutes(deps: UpstreamRouteDeps): Router {
  const router = Router();
  const secure = deps.issuer.startsWith("https:");
  const page = (res: Response, status: number, title: string, message: string) =>
    res
      .status(status)
      .type("html")
      .set("cache-control", "no-store")
      .send(messagePage(title, message));
  const upstreamNamed = (name: string) => deps.upstreams.find((u) => u.name === name);
  const unknown = (res: Response, name: string) =>
    page(
      res,
      404,
      "Unknown sign-in provider",
      `There is no sign-in provider named "${name}". Go back and choose one on the sign-in page.`,
    );
  const refused = (res: Response, error: UpstreamRefused) => {
    deps.signIns.inc({ result: "upstream_refused" });
    const status = error.failure === "Unreachable" ? 502 : 401;
    return page(res, status, "Sign-in failed", error.message);
  };

  router.post("/interaction/:uid/upstream/:name", async (req, res) => {
    const upstream = upstreamNamed(req.params.name);
    if (!upstream) return unknown(res, req.params.name);
    const details = await interactionOf(deps.provider, req, res);
    if (!details) return expired(res);
    let started;
    try {
      started = await deps
        .upstreamClient(upstream)
        .start(ssoUpstreamRedirectUri(deps.issuer, upstream.name));
    } catch (error) {
      if (error instanceof UpstreamRefused) return refused(res, error);
      throw error;
    }
    await deps.pending.save({
      state: started.state,
      upstream: upstream.name,
      interactionUid: details.uid,
      nonce: started.nonce,
      codeVerifier: started.codeVerifier,
      expiresAt: new Date(deps.now().getTime() + pendingSeconds * 1000),
    });
    res.cookie(stateCookie, started.state, {
      path: `/upstream/${upstream.name}/`,
      httpOnly: true,
      // The upstream sends the browser back with a top-level GET: Lax lets the cookie come.
      sameSite: "lax",
      secure,
      maxAge: pendingSeconds * 1000,
    });
    res.redirect(303, started.url);
  });

  router.get("/upstream/:name/callback", async (req, res) => {
    const upstream = upstreamNamed(req.params.name);
    if (!upstream) return unknown(res, req.params.name);
    const state = typeof req.query.state === "string" ? req.query.state : "";
    const cookieState = cookieOf(req, stateCookie);
    res.clearCookie(stateCookie, { path: `/upstream/${upstream.name}/` });
    const wrongState = (message: string) => {
      deps.signIns.inc({ result: "upstream_refused" });
      return page(res, 400, "Sign-in failed", message);
    };
    if (!state)
      return wrongState(
        `The answer from ${upstream.displayName} has no state, so it cannot be matched to a sign-in started here. Start again from the sign-in page.`,
      );
    if (!cookieState || !sameText(state, cookieState))
      return wrongState(
        `The answer from ${upstream.displayName} does not match a sign-in started in this browser (wrong state). Start again from the sign-in page.`,
      );
    const pending = await deps.pending.take(state, deps.now());
    if (!pending || pending.upstream !== upstream.name)
      return wrongState(
        `This sign-in through ${upstream.displayName} has expired or was used already. Start again from the sign-in page.`,
      );
    const interaction = await deps.provider.Interaction.find(pending.interactionUid);
    if (!interaction) return expired(res);

    let claims: Record<string, unknown>;
    try {
      const search = req.originalUrl.includes("?")
        ? req.originalUrl.slice(req.originalUrl.indexOf("?"))
        : "";
      claims = await deps
        .upstreamClient(upstream)
        .finish(new URL(ssoUpstreamRedirectUri(deps.issuer, upstream.name) + search), pending);
    } catch (error) {
      if (error instanceof UpstreamRefused) return refused(res, error);
      throw error;
    }

    const account = await accountFor(deps, upstream, upstreamPerson(claims, upstream.displayName));
    if ("refused" in account) {
      deps.signIns.inc({ result: "refused" });
      return page(res, 409, "Sign in with your password", account.refused);
    }
    const outcome = await completeSignIn(
      deps,
      {
        clientId: interaction.params.client_id,
        account,
        provider: upstreamLoginProvider[upstream.kind],
        upstream: { name: upstream.name, issuer: upstream.issuer },
      },
      async (accountId) => {
        // The interaction's own browser binding is its resume cookie, checked at returnTo.
        interaction.result = { login: { accountId } };
        await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
        res.redirect(303, interaction.returnTo);
      },
    );
    if (!outcome.ok) page(res, outcome.status, outcome.title, outcome.message);
  });

  function expired(res: Response) {
    return page(
      res,
      400,
      "Sign-in expired",
      "This sign-in at Acme ID has expired or was started in another browser. Go back to the cabinet and sign in again.",
    );
  }

  return router;
}

/** The account of an upstream identity, linked or made by the rules of decideLink. */
async function accountFor(
  deps: UpstreamRouteDeps,
  upstream: SsoUpstream,
  person: ReturnType<typeof upstreamPerson>,
): Promise<Account | { refused: string }> {
  const linked = await deps.identities.find(upstream.issuer, person.sub);
  const linkedAccount = linked ? await deps.accounts.findBySubject(linked.accountId) : undefined;
  const accountWithEmail = person.verifiedEmail
    ? await deps.accounts.findByEmail(person.verifiedEmail)
    : undefined;
  const decision = decideLink({ person, linkedAccount, accountWithEmail });
  if (decision.action === "signIn") return linkedAccount!;
  if (decision.action === "refuse") return { refused: decision.reason };
  let account: Account;
  if (decision.action === "link") account = accountWithEmail!;
  else {
    try {
      account = await deps.accounts.createFromUpstream(decision.account);
    } catch (error) {
      // The address was taken meanwhile: that account is the person's (verified e-mail).
      if (!(error instanceof EmailTaken)) throw error;
      account = (await deps.accounts.findByEmail(error.email))!;
    }
  }
  const identity = await deps.identities.link(
    {
      issuer: upstream.issuer,
      sub: person.sub,
      upstream: upstream.name,
      accountId: account.subject,
      linkedAt: deps.now(),
    },
    // Linked to an account that is gone: the identity moves to the one it signs in to now.
    { replace: Boolean(linked) },
  );
  if (identity.accountId === account.subject) return account;
  return (await deps.accounts.findBySubject(identity.accountId)) ?? account;
}

/** The interaction of this browser (its cookie), or undefined when it has none or it expired. */
async function interactionOf(provider: Provider, req: Request, res: Response) {
  try {
    return await provider.interactionDetails(req, res);
  } catch (error) {
    if (error instanceof errors.SessionNotFound) return undefined;
    throw error;
  }
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}
