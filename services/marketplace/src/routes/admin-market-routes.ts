import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import type { RefusalStore } from "../data/refusal-store.js";
import type { MarketplaceDeps } from "../domain/marketplace-deps.js";
import { offerStatuses } from "../domain/offer.js";
import { getOffer } from "../domain/offers.js";
import { manualTransitionSchema, quantitySchema } from "../domain/order.js";
import { uuidParams } from "./route-inputs.js";
import { viewOrder } from "../domain/order-view.js";
import { getOrder, placeOrder, transitionOrder } from "../domain/orders.js";
import { payoutReport } from "../domain/payout-report.js";
import { partnerIdSchema } from "../domain/partner.js";
import { codeSchema, rulebookInputSchema } from "../domain/rulebook.js";
import { currentRulebook, replaceRulebook } from "../domain/rules.js";
import { parseOrderListQuery } from "./list-query.js";
import { parsePeriodQuery } from "./period-query.js";

const orderBody = z.strictObject({
  requestId: z.string().min(1).max(128),
  offerId: z.uuid(),
  customerId: z.string().min(1).max(128),
  quantity: quantitySchema,
  note: z.string().max(1_000).optional(),
});
const transitionBody = z.strictObject({
  transition: manualTransitionSchema,
  /** Whom the operator acts for; the operator by default. */
  actor: z.enum(["operator", "customer"]).default("operator"),
  note: z.string().max(1_000).optional(),
});
const rulesBody = z.strictObject({
  version: z.number().int().min(1),
  rulebook: rulebookInputSchema,
});
const offerQuery = z.strictObject({
  partnerId: partnerIdSchema.optional(),
  status: z.enum(offerStatuses).optional(),
  category: codeSchema.optional(),
});
const refusalQuery = z.strictObject({
  topic: z.string().max(249).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

/** The operator's side of the market: rules, offers, orders, payouts, refused bus events. */
export function adminMarketRoutes(deps: MarketplaceDeps, refusals: RefusalStore): Router {
  const router = Router();
  router.get("/rules", async (_req, res) => {
    res.json(await currentRulebook(deps));
  });
  router.put("/rules", async (req, res) => {
    const { version, rulebook } = parseInput(rulesBody, req.body, "body");
    const { rulebook: written, suspended } = await replaceRulebook(deps, rulebook, version);
    res.json({
      rulebook: written,
      suspendedOffers: suspended.map((o) => ({ id: o.id, rule: o.suspendedBy })),
    });
  });
  router.get("/offers", async (req, res) => {
    const query = parseInput(offerQuery, req.query, "query");
    res.json({ offers: await deps.offers.list({ ...query, limit: 1_000 }) });
  });
  router.get("/offers/:id", async (req, res) => {
    const { id } = parseInput(uuidParams, req.params, "params");
    res.json(await getOffer(deps, id));
  });
  router.post("/orders", async (req, res) => {
    const request = parseInput(orderBody, req.body, "body");
    const { order, created } = await placeOrder(deps, request, {
      kind: "customer",
      id: request.customerId,
    });
    res.status(created ? 201 : 200).json(viewOrder(order, deps.now()));
  });
  router.get("/orders", async (req, res) => {
    const query = parseOrderListQuery(req.query);
    const { orders, total } = await deps.orders.list(query);
    const now = deps.now();
    res.json({ orders: orders.map((o) => viewOrder(o, now)), total, page: query.page });
  });
  router.get("/orders/:id", async (req, res) => {
    const { id } = parseInput(uuidParams, req.params, "params");
    res.json(viewOrder(await getOrder(deps, id), deps.now()));
  });
  router.post("/orders/:id/transitions", async (req, res) => {
    const { id } = parseInput(uuidParams, req.params, "params");
    const { transition, actor, note } = parseInput(transitionBody, req.body, "body");
    const order = await transitionOrder(
      deps,
      id,
      transition,
      { kind: actor },
      note ? { note } : {},
    );
    res.json(viewOrder(order, deps.now()));
  });
  router.get("/payouts", async (req, res) => {
    const { partnerId, ...period } = parsePeriodQuery(req.query);
    res.json(await payoutReport(deps, period, partnerId));
  });
  router.get("/refused-events", async (req, res) => {
    const query = parseInput(refusalQuery, req.query, "query");
    res.json({ refused: await refusals.list(query) });
  });
  return router;
}
