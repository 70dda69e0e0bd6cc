import { notFound, parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import type { CrmService } from "../domain/crm-service.js";
import { confirmSuggestion, rejectSuggestion } from "../domain/decide-suggestion.js";
import { undoMerge } from "../domain/undo-merge.js";

const uuidPair = /^[0-9a-f-]{36}\|[0-9a-f-]{36}$/;
const suggestionParams = z.strictObject({
  id: z.string().regex(uuidPair, "expected a suggestion id"),
});
const mergeParams = z.strictObject({ id: z.uuid() });
const actorBody = z.strictObject({
  by: z.strictObject({
    kind: z.enum(["customer", "manager"]),
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "expected a plain id"),
  }),
});
const suggestionsQuery = z.strictObject({
  profileId: z.uuid().optional(),
  status: z.enum(["open", "confirmed", "rejected"]).default("open"),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

/** Merge suggestions (confirm / reject) and the undo of a merge. */
export function mergeRoutes(crm: CrmService): Router {
  const router = Router();
  const { deps } = crm;
  router.get("/suggestions", async (req, res) => {
    const query = parseInput(suggestionsQuery, req.query, "query");
    res.json({ suggestions: await deps.merges.listSuggestions(query, query.limit) });
  });
  router.post("/suggestions/:id/confirm", async (req, res) => {
    const { id } = parseInput(suggestionParams, req.params, "params");
    const { by } = parseInput(actorBody, req.body, "body");
    res.json(await crm.queue.exclusive(() => confirmSuggestion(deps, id, by)));
  });
  router.post("/suggestions/:id/reject", async (req, res) => {
    const { id } = parseInput(suggestionParams, req.params, "params");
    const { by } = parseInput(actorBody, req.body, "body");
    res.json(await crm.queue.exclusive(() => rejectSuggestion(deps, id, by)));
  });
  router.get("/merges/:id", async (req, res) => {
    const { id } = parseInput(mergeParams, req.params, "params");
    const merge = await deps.merges.merge(id);
    if (!merge) throw notFound(`merge ${id}`);
    const { before: _before, ...rest } = merge;
    res.json(rest);
  });
  router.post("/merges/:id/undo", async (req, res) => {
    const { id } = parseInput(mergeParams, req.params, "params");
    const { by } = parseInput(actorBody, req.body, "body");
    const { holder, restored } = await crm.queue.exclusive(() => undoMerge(deps, id, by));
    res.json({ profile: holder, restored });
  });
  return router;
}
