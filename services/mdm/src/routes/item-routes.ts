import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import {
  createItem,
  getItem,
  listItemVersions,
  updateItem,
  type CatalogDeps,
} from "../domain/catalog.js";
import { itemFieldsSchema, itemUpdateSchema } from "../domain/item.js";
import { actorOf } from "./actor-of.js";
import { refusePersonalData } from "./refuse-personal-data.js";
import { parseSearchQuery } from "./search-query.js";

const idParams = z.strictObject({ id: z.uuid() });

export function itemRoutes(deps: CatalogDeps): Router {
  const router = Router();
  router.post("/items", async (req, res) => {
    refusePersonalData(req.body);
    const fields = parseInput(itemFieldsSchema, req.body, "body");
    res.status(201).json(await createItem(deps, fields, actorOf(req)));
  });
  router.get("/items", async (req, res) => {
    const query = parseSearchQuery(req.query as Record<string, unknown>);
    const { items, total } = await deps.catalog.search(query);
    res.json({ items, total, page: query.skip / query.limit + 1, pageSize: query.limit });
  });
  router.get("/items/:id", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    res.json(await getItem(deps, id));
  });
  router.put("/items/:id", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    refusePersonalData(req.body);
    const update = parseInput(itemUpdateSchema, req.body, "body");
    res.json(await updateItem(deps, id, update, actorOf(req)));
  });
  router.get("/items/:id/versions", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    res.json({ versions: await listItemVersions(deps, id) });
  });
  return router;
}
