import { notFound, parseInput } from "@symbiont/service-kit";
import { Router, type RequestHandler } from "express";
import { z } from "zod";
import { notLoaded, type AnalyticsService } from "../domain/analytics-service.js";
import { audienceSegment } from "../domain/audience-segment.js";
import { customerView } from "../domain/customer-view.js";
import { exportSegment } from "../domain/export-segment.js";
import { matchOffers } from "../domain/match-offers.js";
import { offerRulesSchema } from "../domain/offer-rule.js";
import { plainId } from "../domain/plan.js";
import { resolvePerson } from "../domain/resolve-person.js";
import type { CallerLocals } from "../http/require-caller.js";

const customerParams = z.strictObject({ id: plainId });
const segmentParams = z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/) });

/** Next-offer rules, a person's offers, and audience segments for the ads partner. */
export function offerRoutes(
  analytics: AnalyticsService,
  roles: { planners: RequestHandler; admins: RequestHandler },
): Router {
  const router = Router();
  const { deps } = analytics;
  const loaded = () => {
    if (!analytics.loaded()) throw notLoaded();
  };
  router.get("/offer-rules", (_req, res) => {
    loaded();
    res.json({ rules: analytics.rules() });
  });
  router.put("/offer-rules", roles.planners, async (req, res) => {
    const { rules } = parseInput(offerRulesSchema, req.body, "body");
    loaded();
    const version = await analytics.replaceRules(rules, (res.locals as CallerLocals).caller.name);
    res.json({ rules, version });
  });
  router.get("/customers/:id/offers", async (req, res) => {
    const { id } = parseInput(customerParams, req.params, "params");
    loaded();
    const state = analytics.state();
    const person = resolvePerson(state, id);
    const view = customerView(state, person);
    if (!view) throw notFound(`customer ${id}`);
    res.json({
      customerId: person,
      offers: matchOffers(view, analytics.rules(), deps.now()),
      suggested: await deps.offers.suggestionsOf(person),
    });
  });
  router.get("/segments", (_req, res) => {
    loaded();
    const state = analytics.state();
    const nowMs = deps.now();
    res.json({
      segments: analytics.rules().map((rule) => {
        const segment = audienceSegment(state, rule, nowMs);
        return {
          name: rule.name,
          offer: rule.offer,
          enabled: rule.enabled,
          size: segment.members.length,
          withoutConsent: segment.withoutConsent,
        };
      }),
    });
  });
  router.post("/segments/:name/export", roles.admins, async (req, res) => {
    const { name } = parseInput(segmentParams, req.params, "params");
    loaded();
    res.status(202).json(await exportSegment(analytics, name));
  });
  return router;
}
