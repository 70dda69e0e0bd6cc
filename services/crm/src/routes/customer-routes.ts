import { consentStatementSchema } from "@symbiont/contracts";
import { badRequest, notFound, parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import { activeProfiles } from "../domain/active-profiles.js";
import type { CrmService } from "../domain/crm-service.js";
import { cookieHint, identityKeys } from "../domain/identity-keys.js";
import { profileView } from "../domain/profile-view.js";
import { setConsent } from "../domain/set-consent.js";
import { consentChannels, identitySchema } from "../domain/touchpoint.js";

const idParams = z.strictObject({ id: z.uuid() });
const lookupQuery = identitySchema.omit({ sso: true });
const consentBody = z.strictObject({
  consent: consentStatementSchema,
  preferredChannel: z.enum(consentChannels).optional(),
  source: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/)
    .default("api"),
});
const limitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export function customerRoutes(crm: CrmService): Router {
  const router = Router();
  const { deps } = crm;
  const activeOr404 = async (id: string) => {
    const profile = (await activeProfiles(deps, [id])).get(id);
    if (!profile) throw notFound(`profile ${id}`);
    return profile;
  };
  /**
   * Look a person up by e-mail, phone or loyalty card (normalised like touchpoints), or the
   * profiles a browser's cookie id links (a hint: maybe several people).
   */
  router.get("/customers", async (req, res) => {
    const identity = parseInput(lookupQuery, req.query, "query");
    const keys = identityKeys(identity, deps.defaultCountryCode);
    const hint = cookieHint(identity);
    if (keys.length === 0 && !hint)
      throw badRequest("query", "give email, phone, loyaltyCard or cookieId");
    const owners = [...new Set((await deps.identity.keyOwners(keys)).values())];
    if (hint) owners.push(...((await deps.identity.hintHolders([hint])).get(hint) ?? []));
    const profiles = [
      ...new Map([...(await activeProfiles(deps, owners)).values()].map((p) => [p.id, p])).values(),
    ];
    res.json({ customers: await Promise.all(profiles.map((p) => profileView(deps, p, p.id))) });
  });
  router.get("/customers/:id", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    res.json(await profileView(deps, await activeOr404(id), id));
  });
  router.get("/customers/:id/touchpoints", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    const { limit } = parseInput(limitQuery, req.query, "query");
    const profile = await activeOr404(id);
    res.json({ touchpoints: await deps.identity.touchpointsOf(profile.id, limit) });
  });
  router.get("/customers/:id/merges", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    const profile = await activeOr404(id);
    const merges = await deps.merges.mergesOf(profile.id);
    res.json({ merges: merges.map(({ before: _before, ...merge }) => merge) });
  });
  router.put("/customers/:id/consent", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    const body = parseInput(consentBody, req.body, "body");
    const profile = await crm.queue.exclusive(() =>
      setConsent(deps, id, body.consent, body.source, body.preferredChannel),
    );
    res.json(await profileView(deps, profile, id));
  });
  return router;
}
