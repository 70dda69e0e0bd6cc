import type { Outbox } from "@symbiont/service-kit";
import express, { Router, type Request, type Response } from "express";
import type Provider from "oidc-provider";
import type { Counter } from "prom-client";
import { z } from "zod";
import { EmailTaken, type AccountStore } from "../data/account-store.js";
import { emailSchema, newAccountSchema, type Account } from "../domain/account.js";
import { verifyPassword } from "../domain/password-hash.js";
import type { SsoClient } from "../domain/sso-clients.js";
import type { SsoUpstream } from "../domain/sso-upstreams.js";
import { completeSignIn } from "./complete-sign-in.js";
import { messagePage, signInPage, signUpPage } from "./sign-in-pages.js";

export interface InteractionDeps {
  provider: Provider;
  accounts: AccountStore;
  clients: SsoClient[];
  upstreams: SsoUpstream[];
  outbox: Outbox;
  signIns: Counter<"result">;
  now: () => Date;
}

const signInForm = z.object({ email: emailSchema, password: z.string().min(1).max(200) });

/**
 * The interaction pages oidc-provider sends a browser to: sign in with e-mail and password,
 * through an upstream provider (routes/upstream-routes.ts), or create a customer account. A
 * successful sign-in publishes `sso.login` (through the
 * outbox, so a sidecar that is down delays it, never loses it) and returns to the provider.
 */
export function interactionRoutes(deps: InteractionDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const upstreams = deps.upstreams.map(({ name, displayName, kind }) => ({
    name,
    displayName,
    kind,
  }));
  const send = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("cache-control", "no-store").send(body);

  router.get("/", (_req, res) => {
    send(res, 200, messagePage("Acme ID", "The ecosystem's sign-in. Open a cabinet to sign in."));
  });

  router.get("/interaction/:uid", async (req, res) => {
    const details = await deps.provider.interactionDetails(req, res);
    if (details.prompt.name !== "login") {
      await finishConsent(req, res);
      return;
    }
    send(
      res,
      200,
      signInPage({ uid: details.uid, clientName: String(details.params.client_id), upstreams }),
    );
  });

  router.post("/interaction/:uid/login", form, async (req, res) => {
    const details = await deps.provider.interactionDetails(req, res);
    const parsed = signInForm.safeParse(req.body);
    const again = (status: number, error: string) =>
      send(
        res,
        status,
        signInPage({
          uid: details.uid,
          clientName: String(details.params.client_id),
          upstreams,
          email: typeof req.body?.email === "string" ? req.body.email : undefined,
          error,
        }),
      );
    if (!parsed.success) return again(400, "Enter your e-mail address and password.");
    const account = await deps.accounts.findByEmail(parsed.data.email);
    // An account made through an upstream has no password: it signs in there.
    if (
      !account?.passwordHash ||
      !(await verifyPassword(parsed.data.password, account.passwordHash))
    ) {
      deps.signIns.inc({ result: "refused" });
      return again(401, "Wrong e-mail or password.");
    }
    await finishLogin(req, res, details.params.client_id, account);
  });

  router.get("/interaction/:uid/signup", async (req, res) => {
    const details = await deps.provider.interactionDetails(req, res);
    send(res, 200, signUpPage({ uid: details.uid }));
  });

  router.post("/interaction/:uid/signup", form, async (req, res) => {
    const details = await deps.provider.interactionDetails(req, res);
    // Anyone may become a customer; other roles are given by the admin API only.
    const { email, password, name } = (req.body ?? {}) as Record<string, unknown>;
    const parsed = newAccountSchema.safeParse({ email, password, name, roles: ["customer"] });
    const again = (status: number, error: string) =>
      send(
        res,
        status,
        signUpPage({ uid: details.uid, email: req.body?.email, name: req.body?.name, error }),
      );
    if (!parsed.success)
      return again(400, parsed.error.issues.map((issue) => issue.message).join("; "));
    try {
      const account = await deps.accounts.create(parsed.data);
      await finishLogin(req, res, details.params.client_id, account);
    } catch (error) {
      if (error instanceof EmailTaken)
        return again(409, "An account with this e-mail exists: sign in instead.");
      throw error;
    }
  });

  async function finishLogin(req: Request, res: Response, clientId: unknown, account: Account) {
    const outcome = await completeSignIn(
      deps,
      { clientId, account, provider: "password" },
      (accountId) =>
        deps.provider.interactionFinished(
          req,
          res,
          { login: { accountId } },
          { mergeWithLastSubmission: false },
        ),
    );
    if (!outcome.ok) send(res, outcome.status, messagePage(outcome.title, outcome.message));
  }

  /** The ecosystem's own cabinets are trusted: the grant is given without asking. */
  async function finishConsent(req: Request, res: Response) {
    const details = await deps.provider.interactionDetails(req, res);
    const grant = details.grantId
      ? await deps.provider.Grant.find(details.grantId)
      : new deps.provider.Grant({
          accountId: details.session!.accountId,
          clientId: String(details.params.client_id),
        });
    grant!.addOIDCScope(String(details.params.scope ?? "openid"));
    const grantId = await grant!.save();
    await deps.provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  return router;
}
