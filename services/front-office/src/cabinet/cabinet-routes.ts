import { Router, type Response } from "express";
import { z } from "zod";
import { readCookies, signValue, verifySigned } from "../http/signed-cookie.js";
import { sameOrigin } from "../http/same-origin.js";
import { problemPage } from "./cabinet-pages.js";
import {
  loadSession,
  sessionCookie,
  sessionOf,
  setSessionCookie,
  type SessionDeps,
} from "./cabinet-session.js";

export interface CabinetDeps extends SessionDeps {
  publicUrl: string;
  sessionTtlSeconds: number;
  /** The cabinet's page for a signed-out person, with a notice when sign-in failed. */
  signedOutPage: (notice?: string) => string;
}

const loginCookie = "acme_cabinet_login";
const loginState = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43),
});

/**
 * A cabinet's sign-in through the ecosystem's SSO (authorization code + PKCE; the browser
 * never sees a token, only a signed session id), shared by the user and partner cabinets
 * (MISSION F3-F5), and sign-out at the SSO too. When the SSO does not answer, the pages say
 * so instead of failing. Every later router sees the person in res.locals (sessionOf).
 */
export function cabinetRoutes(deps: CabinetDeps): Router {
  const router = Router();
  const send = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("cache-control", "no-store").send(body);
  const cookieOptions = {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: deps.secure,
    path: "/",
  };
  router.use(loadSession(deps));

  router.get("/login", async (_req, res) => {
    try {
      const { url, ...started } = await deps.sso.start();
      res.cookie(
        loginCookie,
        signValue(Buffer.from(JSON.stringify(started)).toString("base64url"), deps.keys),
        {
          ...cookieOptions,
          maxAge: 600_000,
        },
      );
      res.redirect(303, url);
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message }, "the SSO does not answer");
      send(
        res,
        503,
        deps.signedOutPage(
          "Sign-in is unavailable right now: the sign-in service does not answer. Your data is safe; try again in a minute.",
        ),
      );
    }
  });

  router.get("/callback", async (req, res) => {
    const raw = verifySigned(readCookies(req.get("cookie")).get(loginCookie), deps.keys);
    const started = raw
      ? loginState.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")))
      : undefined;
    res.clearCookie(loginCookie, cookieOptions);
    if (!started?.success)
      return send(
        res,
        400,
        problemPage(
          "Sign-in expired",
          "This sign-in was started too long ago or in another browser.",
        ),
      );
    try {
      const callbackUrl = new URL(req.originalUrl, deps.publicUrl);
      const signedIn = await deps.sso.finish(callbackUrl, started.data);
      const session = await deps.sessions.create(signedIn, deps.sessionTtlSeconds, deps.now());
      setSessionCookie(res, deps, session);
      res.redirect(303, "/");
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message }, "sign-in failed");
      send(
        res,
        400,
        problemPage("Sign-in failed", "The sign-in service did not confirm who you are."),
      );
    }
  });

  router.post("/logout", sameOrigin, async (_req, res) => {
    const session = sessionOf(res);
    res.clearCookie(sessionCookie, cookieOptions);
    if (!session) return res.redirect(303, "/");
    await deps.sessions.destroy(session.id);
    try {
      res.redirect(303, await deps.sso.endSessionUrl(session.idToken));
    } catch {
      send(
        res,
        200,
        deps.signedOutPage(
          "You are signed out of the cabinet. The sign-in service does not answer, so you may still be signed in there.",
        ),
      );
    }
  });

  return router;
}
