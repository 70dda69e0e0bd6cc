import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import type { MarketplaceDeps } from "../domain/marketplace-deps.js";
import { onboardingSchema, partnerIdSchema, partnerStatuses } from "../domain/partner.js";
import { getPartner, onboardPartner, setPartnerStatus } from "../domain/partners.js";
import { listPartnerKeys, revokePartnerKey, rotatePartnerKeys } from "../domain/partner-keys.js";
import { rotationBody } from "./route-inputs.js";

const idParams = z.strictObject({ id: partnerIdSchema });
const keyParams = z.strictObject({
  id: partnerIdSchema,
  keyId: z.string().regex(/^[0-9a-f]{12}$/, "expected a key id"),
});
const statusBody = z.strictObject({ status: z.enum(partnerStatuses) });

/** The operator's side of partners: onboarding, suspension, keys (shown once, rotatable, revocable). */
export function adminPartnerRoutes(deps: MarketplaceDeps): Router {
  const router = Router();
  router.post("/partners", async (req, res) => {
    const input = parseInput(onboardingSchema, req.body, "body");
    res.status(201).json(await onboardPartner(deps, input));
  });
  router.get("/partners", async (_req, res) => {
    res.json({ partners: await deps.partners.list() });
  });
  router.get("/partners/:id", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    res.json(await getPartner(deps, id));
  });
  router.put("/partners/:id/status", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    const { status } = parseInput(statusBody, req.body, "body");
    res.json(await setPartnerStatus(deps, id, status));
  });
  router.get("/partners/:id/keys", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    res.json({ keys: await listPartnerKeys(deps, id) });
  });
  router.post("/partners/:id/keys", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    const { overlapSeconds } = parseInput(rotationBody, req.body ?? {}, "body");
    res.status(201).json(await rotatePartnerKeys(deps, id, overlapSeconds));
  });
  router.delete("/partners/:id/keys/:keyId", async (req, res) => {
    const { id, keyId } = parseInput(keyParams, req.params, "params");
    res.json(await revokePartnerKey(deps, id, keyId));
  });
  return router;
}
