import type { Outbox } from "@symbiont/service-kit";
import express, { Router, type Response } from "express";
import { z } from "zod";
import { cabinetData } from "../cabinet-data/cabinet-data.js";
import type { CustomerLinks } from "../cabinet-data/customer-links.js";
import type { RecordStore } from "../cabinet-data/record-store.js";
import type { CatalogStore } from "../catalog/catalog-store.js";
import { readCookies, signValue, verifySigned } from "../http/signed-cookie.js";
import { sameOrigin } from "../http/same-origin.js";
import { interestTouchpoint } from "../touchpoints/touchpoint-events.js";
import { cabinetPage, problemPage, signedOutPage } from "./cabinet-pages.js";
import {
  loadSession,
  sessionCookie,
  sessionOf,
  setSessionCookie,
  type SessionDeps,
} from "./cabinet-session.js";

export interface CabinetDeps extends SessionDeps {
  publicUrl: string;
  catalog: CatalogStore;
  /** The cabinet's copies of what CRM, the marketplace, files and analytics sent. */
  data: { links: CustomerLinks; records: RecordStore };
  outbox: Outbox;
  sessionTtlSeconds: number;
}

const loginCookie = "acme_cabinet_login";
const loginState = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43),
});

/**
 * The user cabinet's pages (MISSION F3): sign-in through the ecosystem's SSO (authorization
 * code + PKCE; the browser never sees a token, only a signed session id), the person's
 * profile and the catalog, sign-out at the SSO too. When the SSO does not answer, the
 * pages say so instead of failing.
 */
export function cabinetRoutes(deps: CabinetDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const send = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("cache-control", "no-store").send(body);
  const cookieOptions = {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: deps.secure,
    path: "/",
  };
  router.use(loadSession(deps));

  router.get("/", async (req, res) => {
    const session = sessionOf(res);
    if (!session) return send(res, 200, signedOutPage());
    const [catalog, data] = await Promise.all([
      deps.catalog.active(),
      cabinetData(deps.data, session.subject),
    ]);
    const sentId = typeof req.query.sent === "string" ? req.query.sent : undefined;
    const sent = sentId ? catalog.items.find((item) => item.id === sentId)?.name : undefined;
    send(res, 200, cabinetPage(session, catalog, data, sent));
  });

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
        signedOutPage(
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
        signedOutPage(
          "You are signed out of the cabinet. The sign-in service does not answer, so you may still be signed in there.",
        ),
      );
    }
  });

  router.post("/interests", sameOrigin, form, async (req, res) => {
    const session = sessionOf(res);
    if (!session) return res.redirect(303, "/login");
    const itemId = z.string().min(1).max(64).safeParse(req.body?.itemId);
    const item = itemId.success ? await deps.catalog.find(itemId.data) : undefined;
    if (!item)
      return send(res, 404, problemPage("Not found", "This item is not in the catalog.", "Back"));
    await deps.outbox.send([
      interestTouchpoint({
        subject: session.subject,
        email: session.email,
        itemId: item.id,
        at: deps.now(),
      }),
    ]);
    res.redirect(303, `/?sent=${encodeURIComponent(item.id)}`);
  });

  return router;
}
