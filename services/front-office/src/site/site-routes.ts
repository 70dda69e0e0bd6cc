import { randomUUID } from "node:crypto";
import { cookieChoiceSchema } from "@symbiont/contracts";
import type { Outbox } from "@symbiont/service-kit";
import express, { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { CatalogStore } from "../catalog/catalog-store.js";
import { readCookies } from "../http/signed-cookie.js";
import { sameOrigin } from "../http/same-origin.js";
import {
  callBackTouchpoint,
  cookieChoiceTouchpoint,
  visitTouchpoint,
} from "../touchpoints/touchpoint-events.js";
import { catalogPage, cookiesPage, itemPage, notFoundPage } from "./site-pages.js";

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
    const raw = cookies.get(visitorCookie);
    const known = raw && /^[A-Za-z0-9-]{1,64}$/.test(raw) ? raw : undefined;
    return {
      choice: cookieChoiceSchema.safeParse(consent).data,
      askConsent: consent !== "accept" && consent !== "refuse",
      id: consent === "accept" ? known : undefined,
      /** The browser's id even when consent is not (or no longer) given: to tell a withdrawal. */
      known,
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

  router.get("/cookies", (req, res) => {
    html(res, 200, cookiesPage(deps.site, visitor(req).choice));
  });

  // The banner's choice goes to CRM as the consent `cookies` of the browser's cookie id
  // (docs/module-contract.md); a choice that is neither answer is refused, naming the field.
  router.post("/consent", sameOrigin, form, async (req, res) => {
    const who = visitor(req);
    const parsed = cookieChoiceSchema.safeParse(req.body?.choice);
    if (!parsed.success)
      return html(
        res,
        400,
        cookiesPage(
          deps.site,
          who.choice,
          `choice: ${parsed.error.issues[0]?.message ?? "invalid"}`,
        ),
      );
    const choice = parsed.data;
    const returnTo =
      typeof req.body?.returnTo === "string" && /^\/[A-Za-z0-9/_-]*$/.test(req.body.returnTo)
        ? req.body.returnTo
        : "/";
    const options = { httpOnly: true, sameSite: "lax" as const, maxAge: yearSeconds * 1000 };
    const visitorId = choice === "accept" ? (who.known ?? randomUUID()) : who.known;
    if (visitorId && choice !== who.choice)
      await deps.outbox.send([cookieChoiceTouchpoint(visitorId, choice, deps.now())]);
    res.cookie(consentCookie, choice, options);
    if (choice === "accept" && visitorId) res.cookie(visitorCookie, visitorId, options);
    else res.clearCookie(visitorCookie);
    res.redirect(303, returnTo);
  });

  return router;
}
