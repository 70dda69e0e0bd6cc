import { randomUUID } from "node:crypto";
import type { Outbox } from "@symbiont/service-kit";
import express, { Router, type Response } from "express";
import { z } from "zod";
import { findMarketOffer } from "../cabinet-data/market-offer-events.js";
import type { RecordStore } from "../cabinet-data/record-store.js";
import { sessionOf } from "../cabinet/cabinet-session.js";
import { sameOrigin } from "../http/same-origin.js";
import type { Session } from "../cabinet/session-store.js";
import { offerFormFields, requestOfferEdit, requestOfferWithdraw } from "./offer-edits.js";
import { partnerOfferFormPage, partnerOffersPage } from "./offer-pages.js";
import { partnerMoves, requestMove, type MoveRequest } from "./order-moves.js";
import { maySee, viewerScope, type PartnerCabinetKind, type Scope } from "./partner-access.js";
import {
  companyPartnerView,
  marketplacePartnerView,
  ordersCsv,
  partnerOffers,
  partnerOrder,
  partnerRefusals,
} from "./partner-data.js";
import {
  companyPartnerPage,
  companySandboxPage,
  marketplacePartnerPage,
  partnerOrderPage,
  type OrderPageOptions,
  partnerProblemPage,
  partnerSignedOutPage,
} from "./partner-pages.js";

/**
 * A partner cabinet's pages after sign-in (MISSION F4, F5). The viewer's scope comes from the
 * SSO's token (roles, partner id) kept in the session; a person without the cabinet's role
 * gets 403, another partner's object 404 (as if it did not exist). A marketplace partner moves
 * its own requests (`order-moves.ts`) and writes its offers (`offer-edits.ts`); the events go
 * out through `outbox`.
 */
export function partnerCabinetRoutes(
  kind: PartnerCabinetKind,
  records: RecordStore,
  outbox?: Outbox,
): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const send = (res: Response, status: number, body: string) =>
    res.status(status).type("html").set("cache-control", "no-store").send(body);
  const notFound = (res: Response, what: string) =>
    send(res, 404, partnerProblemPage(kind, "Not found", `${what} is not in your cabinet.`));

  /** The signed-in viewer and their scope, or an answer already sent. */
  const viewer = (
    res: Response,
  ): { session: Session; scope: Exclude<Scope, { kind: "refused" }> } | undefined => {
    const session = sessionOf(res);
    if (!session) {
      send(res, 200, partnerSignedOutPage(kind));
      return undefined;
    }
    const scope = viewerScope(session, kind);
    if (scope.kind === "refused") {
      send(res, 403, partnerProblemPage(kind, "Not for your account", `Sorry: ${scope.reason}.`));
      return undefined;
    }
    return { session, scope };
  };

  if (kind === "marketplace") {
    router.get("/", async (_req, res) => {
      const who = viewer(res);
      if (!who) return;
      const view = await marketplacePartnerView(records, who.scope);
      send(res, 200, marketplacePartnerPage(who.session, view, who.scope.kind === "all"));
    });
    router.get("/orders/:id", async (req, res) => {
      const who = viewer(res);
      if (!who) return;
      const order = await partnerOrder(records, who.scope, req.params.id);
      if (!order) return notFound(res, "This request");
      const sent = partnerMoves({ status: String(req.query.from ?? "") }).find(
        (move) => move.transition === req.query.sent,
      );
      const refused = await partnerRefusals(
        records,
        who.scope,
        ["order.transition"],
        order.orderId,
      );
      send(
        res,
        200,
        partnerOrderPage(who.session, order, { ...orderPageOptions(who.scope, sent), refused }),
      );
    });
    router.post("/orders/:id/moves", sameOrigin, form, async (req, res) => {
      const who = viewer(res);
      if (!who) return;
      if (who.scope.kind !== "partner")
        return send(
          res,
          403,
          partnerProblemPage(
            kind,
            "Not for your account",
            "A partner moves its own requests here; the company's managers move orders in the marketplace's operator API.",
          ),
        );
      const order = await partnerOrder(records, who.scope, String(req.params.id));
      if (!order) return notFound(res, "This request");
      if (!outbox) throw new Error("the marketplace partner cabinet has no outbox");
      const request: MoveRequest = requestMove({
        order,
        partnerId: who.scope.partnerId,
        form: req.body ?? {},
      });
      if (!request.ok)
        return send(
          res,
          request.status,
          partnerOrderPage(who.session, order, {
            ...orderPageOptions(who.scope),
            error: request,
            note: typeof req.body?.note === "string" ? req.body.note : undefined,
          }),
        );
      await outbox.send([request.event]);
      const query = new URLSearchParams({
        sent: request.event.data.transition,
        from: order.status,
      });
      res.redirect(303, `/orders/${encodeURIComponent(order.orderId)}?${query.toString()}`);
    });
    /** One of the viewer's offers by id (a manager: anyone's), as the cabinet last heard. */
    const offerOf = async (scope: Exclude<Scope, { kind: "refused" }>, offerId: string) => {
      const offer = await findMarketOffer(records, offerId);
      return offer && maySee(scope, offer.partnerId) ? offer : undefined;
    };
    const partnerOnly = (res: Response) =>
      send(
        res,
        403,
        partnerProblemPage(
          kind,
          "Not for your account",
          "A partner edits its own offers here; the company's managers use the marketplace's operator API.",
        ),
      );
    router.get("/offers", async (req, res) => {
      const who = viewer(res);
      if (!who) return;
      const [{ offers, asOf }, refused] = await Promise.all([
        partnerOffers(records, who.scope),
        partnerRefusals(records, who.scope, ["offer.upsert", "offer.withdraw"]),
      ]);
      const sent =
        req.query.sent === "saved" || req.query.sent === "withdrawn" ? req.query.sent : undefined;
      send(
        res,
        200,
        partnerOffersPage(who.session, offers, {
          canEdit: who.scope.kind === "partner",
          asOf,
          refused,
          ...(sent ? { sent } : {}),
        }),
      );
    });
    router.get("/offers/new", (_req, res) => {
      const who = viewer(res);
      if (!who) return;
      if (who.scope.kind !== "partner") return partnerOnly(res);
      // The new offer's id is chosen now: sending this form twice is one offer.
      send(res, 200, partnerOfferFormPage(who.session, { offerId: randomUUID(), canEdit: true }));
    });
    router.get("/offers/:id", async (req, res) => {
      const who = viewer(res);
      if (!who) return;
      const current = await offerOf(who.scope, req.params.id);
      if (!current) return notFound(res, "This offer");
      send(
        res,
        200,
        partnerOfferFormPage(who.session, {
          offerId: current.offerId,
          current,
          canEdit: who.scope.kind === "partner",
        }),
      );
    });
    router.post("/offers", sameOrigin, form, async (req, res) => {
      const who = viewer(res);
      if (!who) return;
      if (who.scope.kind !== "partner") return partnerOnly(res);
      if (!outbox) throw new Error("the marketplace partner cabinet has no outbox");
      const body = (req.body ?? {}) as Record<string, unknown>;
      const offerId = typeof body.offerId === "string" ? body.offerId : "";
      // Any partner's copy: another partner's offer is refused as not in this cabinet.
      const current = await findMarketOffer(records, offerId);
      const request = requestOfferEdit({ partnerId: who.scope.partnerId, form: body, current });
      if (!request.ok) {
        if (request.status === 404) return notFound(res, "This offer");
        const values = Object.fromEntries(
          offerFormFields.map((field) => [
            field,
            typeof body[field] === "string" ? body[field] : "",
          ]),
        );
        return send(
          res,
          request.status,
          partnerOfferFormPage(who.session, {
            // A refused new offer keeps the id its form was shown with: one offer, however
            // many tries it takes.
            offerId: current?.offerId ?? (z.uuid().safeParse(offerId).data || randomUUID()),
            ...(current ? { current } : {}),
            canEdit: true,
            values,
            error: request,
          }),
        );
      }
      await outbox.send([request.event]);
      res.redirect(303, "/offers?sent=saved");
    });
    router.post("/offers/:id/withdraw", sameOrigin, form, async (req, res) => {
      const who = viewer(res);
      if (!who) return;
      if (who.scope.kind !== "partner") return partnerOnly(res);
      if (!outbox) throw new Error("the marketplace partner cabinet has no outbox");
      const offer = await offerOf(who.scope, String(req.params.id));
      if (!offer) return notFound(res, "This offer");
      const request = requestOfferWithdraw({ partnerId: who.scope.partnerId, offer });
      if (!request.ok)
        return send(
          res,
          request.status,
          partnerOfferFormPage(who.session, {
            offerId: offer.offerId,
            current: offer,
            canEdit: true,
            error: request,
          }),
        );
      await outbox.send([request.event]);
      res.redirect(303, "/offers?sent=withdrawn");
    });
    router.get("/reports/orders.csv", async (_req, res) => {
      const who = viewer(res);
      if (!who) return;
      const view = await marketplacePartnerView(records, who.scope);
      res
        .status(200)
        .type("text/csv")
        .set("content-disposition", 'attachment; filename="requests.csv"')
        .set("cache-control", "no-store")
        .send(ordersCsv(view.requests));
    });
  } else {
    router.get("/", async (_req, res) => {
      const who = viewer(res);
      if (!who) return;
      const view = await companyPartnerView(records, who.scope);
      send(res, 200, companyPartnerPage(who.session, view, who.scope.kind === "all"));
    });
    router.get("/sandboxes/:id", async (req, res) => {
      const who = viewer(res);
      if (!who) return;
      const view = await companyPartnerView(records, who.scope);
      const sandbox = view.sandboxes.find((s) => s.sandboxId === req.params.id);
      if (!sandbox) return notFound(res, "This folder");
      send(res, 200, companySandboxPage(who.session, sandbox));
    });
  }
  return router;
}

function orderPageOptions(
  scope: Exclude<Scope, { kind: "refused" }>,
  sent?: { transition: string; label: string },
): OrderPageOptions {
  return { canMove: scope.kind === "partner", ...(sent ? { sent } : {}) };
}
