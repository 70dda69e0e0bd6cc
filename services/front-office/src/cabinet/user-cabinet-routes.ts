import { randomUUID } from "node:crypto";
import type { Outbox } from "@symbiont/service-kit";
import express, { Router, type Response } from "express";
import { meetingPlaces } from "@symbiont/contracts";
import { z } from "zod";
import { cabinetData } from "../cabinet-data/cabinet-data.js";
import { accountsOf } from "../cabinet-data/customer-events.js";
import type { CustomerLinks } from "../cabinet-data/customer-links.js";
import {
  findMarketOffer,
  toMarketOffer,
  type MarketOffer,
} from "../cabinet-data/market-offer-events.js";
import type { RecordStore } from "../cabinet-data/record-store.js";
import type { CatalogStore } from "../catalog/catalog-store.js";
import { sameOrigin } from "../http/same-origin.js";
import { interestTouchpoint } from "../touchpoints/touchpoint-events.js";
import { cabinetPage, meetingFormPage, problemPage, signedOutPage } from "./cabinet-pages.js";
import { bookMeeting } from "./meeting-booking.js";
import { requestedOrderRecord, requestOrder } from "./marketplace-order.js";
import { marketOrderPage, marketplacePage } from "./marketplace-pages.js";
import { sessionOf } from "./cabinet-session.js";

export interface UserCabinetDeps {
  catalog: CatalogStore;
  /** The cabinet's copies of what CRM, the marketplace, files and analytics sent. */
  data: { links: CustomerLinks; records: RecordStore };
  outbox: Outbox;
  now: () => Date;
  /** The manager a booked meeting is with (config CABINET_MEETING_MANAGER). */
  meetingManager: string;
}

/**
 * The unified user cabinet's pages (MISSION F3), after sign-in: the person's profile, their
 * orders, documents and offers, the catalog with "I am interested", and the marketplace's
 * offers to order from.
 */
export function userCabinetRoutes(deps: UserCabinetDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const send = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("cache-control", "no-store").send(body);
  const offerOf = (offerId: unknown) => findMarketOffer(deps.data.records, offerId);

  router.get("/", async (req, res) => {
    const session = sessionOf(res);
    if (!session) return send(res, 200, signedOutPage());
    const [catalog, data] = await Promise.all([
      deps.catalog.active(),
      cabinetData(deps.data, session.subject),
    ]);
    const sentId = typeof req.query.sent === "string" ? req.query.sent : undefined;
    const sent = sentId ? catalog.items.find((item) => item.id === sentId)?.name : undefined;
    const orderedId = typeof req.query.ordered === "string" ? req.query.ordered : undefined;
    const ordered = orderedId ? (await offerOf(orderedId))?.title : undefined;
    const booked =
      typeof req.query.booked === "string" &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(req.query.booked)
        ? req.query.booked.replace("T", " ")
        : undefined;
    send(res, 200, cabinetPage(session, catalog, data, { sent, booked, ordered }));
  });

  router.get("/marketplace", async (_req, res) => {
    const session = sessionOf(res);
    if (!session) return res.redirect(303, "/login");
    const [records, asOf] = await Promise.all([
      deps.data.records.listAll("market-offer"),
      deps.data.records.lastReceivedAt("market-offer"),
    ]);
    const offers = records.map(toMarketOffer).filter((o): o is MarketOffer => o !== undefined);
    send(res, 200, marketplacePage(session, offers, asOf));
  });

  router.get("/marketplace/:offerId", async (req, res) => {
    const session = sessionOf(res);
    if (!session) return res.redirect(303, "/login");
    const offer = await offerOf(req.params.offerId);
    if (!offer)
      return send(
        res,
        404,
        problemPage("Not found", "This offer is not in the marketplace.", "Back"),
      );
    // The request's id is chosen now: sending this form twice is one order.
    send(res, 200, marketOrderPage(session, offer, { requestId: randomUUID() }));
  });

  router.post("/marketplace/orders", sameOrigin, form, async (req, res) => {
    const session = sessionOf(res);
    if (!session) return res.redirect(303, "/login");
    const body = (req.body ?? {}) as Record<string, unknown>;
    const offer = await offerOf(body.offerId);
    const values = {
      // A form whose id is not one the cabinet chose gets a new one with its refusal.
      requestId: z.uuid().safeParse(body.requestId).data ?? randomUUID(),
      quantity: typeof body.quantity === "string" ? body.quantity : undefined,
      note: typeof body.note === "string" ? body.note : undefined,
    };
    // The order is the person's CRM knows: their profile, linked to this sign-in.
    const [customerId] = await deps.data.links.profileIdsOf(accountsOf(session.subject));
    if (offer && !customerId)
      return send(
        res,
        409,
        marketOrderPage(session, offer, values, {
          message: "Your customer profile has not reached the cabinet yet. Try again in a minute.",
        }),
      );
    const request = requestOrder({
      form: body,
      offer,
      customerId: customerId ?? "",
      now: deps.now(),
    });
    if (!request.ok)
      return send(
        res,
        request.status,
        offer
          ? marketOrderPage(session, offer, values, request)
          : problemPage("Not found", request.message, "Back"),
      );
    await deps.outbox.send([request.event]);
    await deps.data.records.apply(requestedOrderRecord(request), deps.now());
    res.redirect(303, `/?ordered=${encodeURIComponent(request.offer.offerId)}`);
  });

  router.get("/meetings/new", (_req, res) => {
    if (!sessionOf(res)) return res.redirect(303, "/login");
    send(res, 200, meetingFormPage(meetingPlaces));
  });

  router.post("/meetings", sameOrigin, form, async (req, res) => {
    const session = sessionOf(res);
    if (!session) return res.redirect(303, "/login");
    const values = {
      meetingAt: typeof req.body?.meetingAt === "string" ? req.body.meetingAt : undefined,
      place: typeof req.body?.place === "string" ? req.body.place : undefined,
    };
    // The meeting is with the person CRM knows: their profile, linked to this sign-in.
    const [customerId] = await deps.data.links.profileIdsOf(accountsOf(session.subject));
    if (!customerId)
      return send(
        res,
        409,
        meetingFormPage(meetingPlaces, values, {
          field: "meetingAt",
          message: "Your customer profile has not reached the cabinet yet. Try again in a minute.",
        }),
      );
    const booking = bookMeeting({
      form: req.body ?? {},
      customerId,
      managerId: deps.meetingManager,
      now: deps.now(),
    });
    if (!booking.ok) return send(res, 400, meetingFormPage(meetingPlaces, values, booking));
    await deps.outbox.send([booking.event]);
    res.redirect(303, `/?booked=${encodeURIComponent(booking.event.data.meetingAt.slice(0, 16))}`);
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
