import type { Outbox } from "@symbiont/service-kit";
import express, { Router, type Response } from "express";
import { z } from "zod";
import { cabinetData } from "../cabinet-data/cabinet-data.js";
import type { CustomerLinks } from "../cabinet-data/customer-links.js";
import type { RecordStore } from "../cabinet-data/record-store.js";
import type { CatalogStore } from "../catalog/catalog-store.js";
import { sameOrigin } from "../http/same-origin.js";
import { interestTouchpoint } from "../touchpoints/touchpoint-events.js";
import { cabinetPage, problemPage, signedOutPage } from "./cabinet-pages.js";
import { sessionOf } from "./cabinet-session.js";

export interface UserCabinetDeps {
  catalog: CatalogStore;
  /** The cabinet's copies of what CRM, the marketplace, files and analytics sent. */
  data: { links: CustomerLinks; records: RecordStore };
  outbox: Outbox;
  now: () => Date;
}

/**
 * The unified user cabinet's pages (MISSION F3), after sign-in: the person's profile, their
 * orders, documents and offers, and the catalog with "I am interested".
 */
export function userCabinetRoutes(deps: UserCabinetDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const send = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("cache-control", "no-store").send(body);

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
