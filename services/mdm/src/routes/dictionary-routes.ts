import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import {
  createDictionary,
  getDictionary,
  listDictionaryVersions,
  updateDictionary,
  type DictionaryDeps,
} from "../domain/dictionaries.js";
import { dictionaryCreateSchema, dictionaryUpdateSchema } from "../domain/dictionary.js";
import { codeSchema } from "../domain/item.js";
import { actorOf } from "./actor-of.js";
import { refusePersonalData } from "./refuse-personal-data.js";

const codeParams = z.strictObject({ code: codeSchema });

export function dictionaryRoutes(deps: DictionaryDeps): Router {
  const router = Router();
  router.post("/dictionaries", async (req, res) => {
    refusePersonalData(req.body);
    const { code, ...fields } = parseInput(dictionaryCreateSchema, req.body, "body");
    res.status(201).json(await createDictionary(deps, code, fields, actorOf(req)));
  });
  router.get("/dictionaries", async (_req, res) => {
    res.json({ dictionaries: await deps.dictionaries.list() });
  });
  router.get("/dictionaries/:code", async (req, res) => {
    const { code } = parseInput(codeParams, req.params, "params");
    res.json(await getDictionary(deps, code));
  });
  router.put("/dictionaries/:code", async (req, res) => {
    const { code } = parseInput(codeParams, req.params, "params");
    refusePersonalData(req.body);
    const update = parseInput(dictionaryUpdateSchema, req.body, "body");
    res.json(await updateDictionary(deps, code, update, actorOf(req)));
  });
  router.get("/dictionaries/:code/versions", async (req, res) => {
    const { code } = parseInput(codeParams, req.params, "params");
    res.json({ versions: await listDictionaryVersions(deps, code) });
  });
  return router;
}
