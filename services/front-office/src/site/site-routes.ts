import { randomUUID } from "node:crypto";
import type { Outbox } from "@symbiont/service-kit";
import express, { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { CatalogStore } from "../catalog/catalog-store.js";
import { readCookies } from "../http/signed-cookie.js";
import { sameOrigin } from "../http/same-origin.js";
import { callBackTouchpoint, visitTouchpoint } from "../touchpoints/touchpoint-events.js";
import { catalogPage, itemPage, notFoundPage } from "./site-pages.js";

export interface SiteDeps {
  site: string;
  catalog: CatalogStore;
  outbox: Outbox;
  now: () => Date;
}

const visitorCookie = "acme_visitor";
const consentCookie = "acme_cookies";
const yearSeconds = 365 * 24 * 3600;

const callBackForm = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(200),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s().-]{6,24}$/, "Enter a phone number (digits, spaces, +, -)."),
  sms: z.literal("yes").optional(),
});

/**
 * The main site (MISSION F1): the catalog from the site's own copy, and contact events sent
 * over the bus as touchpoints. A visitor who accepts cookies gets a random id that CRM sees
 * as a cookie hint; one who refuses is never tracked.
 */
export function siteRoutes(deps: SiteDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const html = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("cache-control", "no-store").send(body);

  const visitor = (req: Request) => {
    const cookies = readCookies(req.get("cookie"));
    const consent = cookies.get(consentCookie);
    const id = cookies.get(visitorCookie);
    return {
      askConsent: consent !== "accept" && consent !== "refuse",
      id: consent === "accept" && id && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : undefined,
    };
  };
  const recordVisit = async (req: Request, visitorId: string | undefined) => {
    if (visitorId) await deps.outbox.send([visitTouchpoint(visitorId, req.path, deps.now())]);
  };

  router.get("/", async (req, res) => {
    const who = visitor(req);
    await recordVisit(req, who.id);
    html(res, 200, catalogPage(deps.site, await deps.catalog.active(), who.askConsent));
  });

  router.get("/items/:id", async (req, res) => {
    const who = visitor(req);
    const item = await deps.catalog.find(req.params.id);
    if (!item || item.status !== "active")
      return html(res, 404, notFoundPage(deps.site, "This item is not in the catalog."));
    await recordVisit(req, who.id);
    html(res, 200, itemPage(deps.site, item, who.askConsent, { sent: req.query.sent === "1" }));
  });

  router.post("/items/:id/call-back", sameOrigin, form, async (req, res) => {
    const who = visitor(req);
    const item = await deps.catalog.find(String(req.params.id));
    if (!item || item.status !== "active")
      return html(res, 404, notFoundPage(deps.site, "This item is not in the catalog."));
    const parsed = callBackForm.safeParse(req.body);
    if (!parsed.success)
      return html(
        res,
        400,
        itemPage(deps.site, item, who.askConsent, {
          error: parsed.error.issues.map((issue) => issue.message).join(" "),
        }),
      );
    await deps.outbox.send([
      callBackTouchpoint({
        name: parsed.data.name,
        phone: parsed.data.phone,
        smsConsent: parsed.data.sms === "yes",
        itemId: item.id,
        ...(who.id ? { visitorId: who.id } : {}),
        at: deps.now(),
      }),
    ]);
    res.redirect(303, `/items/${item.id}?sent=1`);
  });

  router.post("/consent", sameOrigin, form, (req, res) => {
    const choice = req.body?.choice === "accept" ? "accept" : "refuse";
    const returnTo =
      typeof req.body?.returnTo === "string" && /^\/[A-Za-z0-9/_-]*$/.test(req.body.returnTo)
        ? req.body.returnTo
        : "/";
    const options = { httpOnly: true, sameSite: "lax" as const, maxAge: yearSeconds * 1000 };
    res.cookie(consentCookie, choice, options);
    if (choice === "accept") res.cookie(visitorCookie, randomUUID(), options);
    else res.clearCookie(visitorCookie);
    res.redirect(303, returnTo);
  });

  return router;
}
