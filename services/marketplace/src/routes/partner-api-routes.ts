import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import type { MarketplaceDeps } from "../domain/marketplace-deps.js";
import { offerStatuses, offerTermsSchema } from "../domain/offer.js";
import { createOffer, getOffer, updateOffer, withdrawOffer } from "../domain/offers.js";
import { viewOrder } from "../domain/order-view.js";
import { manualTransitionSchema } from "../domain/order.js";
import { getOrder, transitionOrder } from "../domain/orders.js";
import { payoutReport } from "../domain/payout-report.js";
import { rotatePartnerKeys } from "../domain/partner-keys.js";
import { parseOrderListQuery } from "./list-query.js";
import { partnerOf } from "./partner-auth.js";
import { rotationBody, uuidParams } from "./route-inputs.js";
import { parsePeriodQuery } from "./period-query.js";

const offerUpdate = offerTermsSchema.extend({ version: z.number().int().min(1) });
const offerQuery = z.strictObject({ status: z.enum(offerStatuses).optional() });
const transitionBody = z.strictObject({
  transition: manualTransitionSchema,
  note: z.string().max(1_000).optional(),
});

/**
 * The partner API (behind partnerOnly): a partner's own offers, orders and payouts, and the
 * rotation of its own key. Anything of another partner answers 403.
 */
export function partnerApiRoutes(deps: MarketplaceDeps): Router {
  const router = Router();
  router.get("/me", (_req, res) => {
    res.json(partnerOf(res));
  });
  router.get("/offers", async (req, res) => {
    const { status } = parseInput(offerQuery, req.query, "query");
    res.json({
      offers: await deps.offers.list({ partnerId: partnerOf(res).id, status, limit: 1_000 }),
    });
  });
  router.post("/offers", async (req, res) => {
    const terms = parseInput(offerTermsSchema, req.body, "body");
    res.status(201).json(await createOffer(deps, partnerOf(res), terms));
  });
  router.get("/offers/:id", async (req, res) => {
    const { id } = parseInput(uuidParams, req.params, "params");
    res.json(await getOffer(deps, id, partnerOf(res)));
  });
  router.put("/offers/:id", async (req, res) => {
    const { id } = parseInput(uuidParams, req.params, "params");
    const { version, ...terms } = parseInput(offerUpdate, req.body, "body");
    res.json(await updateOffer(deps, partnerOf(res), id, terms, { expectedVersion: version }));
  });
  router.delete("/offers/:id", async (req, res) => {
    const { id } = parseInput(uuidParams, req.params, "params");
    res.json(await withdrawOffer(deps, partnerOf(res), id));
  });
  router.get("/orders", async (req, res) => {
    const { partnerId: _ignored, ...query } = parseOrderListQuery(req.query);
    const { orders, total } = await deps.orders.list({ ...query, partnerId: partnerOf(res).id });
    const now = deps.now();
    res.json({ orders: orders.map((o) => viewOrder(o, now)), total, page: query.page });
  });
  router.get("/orders/:id", async (req, res) => {
    const { id } = parseInput(uuidParams, req.params, "params");
    res.json(viewOrder(await getOrder(deps, id, partnerOf(res).id), deps.now()));
  });
  router.post("/orders/:id/transitions", async (req, res) => {
    const { id } = parseInput(uuidParams, req.params, "params");
    const { transition, note } = parseInput(transitionBody, req.body, "body");
    const partner = partnerOf(res);
    const order = await transitionOrder(
      deps,
      id,
      transition,
      { kind: "partner", id: partner.id },
      {
        partnerId: partner.id,
        ...(note ? { note } : {}),
      },
    );
    res.json(viewOrder(order, deps.now()));
  });
  router.get("/payouts", async (req, res) => {
    const { partnerId: _ignored, ...period } = parsePeriodQuery(req.query);
    res.json(await payoutReport(deps, period, partnerOf(res).id));
  });
  router.post("/keys", async (req, res) => {
    const { overlapSeconds } = parseInput(rotationBody, req.body ?? {}, "body");
    res.status(201).json(await rotatePartnerKeys(deps, partnerOf(res).id, overlapSeconds));
  });
  return router;
}
