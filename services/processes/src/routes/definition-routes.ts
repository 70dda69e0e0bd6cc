import { parseInput } from "@symbiont/service-kit";
import express, { Router } from "express";
import { z } from "zod";
import type { CallerLocals } from "../auth/require-caller.js";
import type { ProcessesDeps } from "../domain/processes-deps.js";
import type { ProcessEngine } from "../domain/process-engine.js";
import { badRequest, notFound } from "../errors.js";

const keyParams = z.object({ key: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/) });
const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/** Process definitions: BPMN 2.0 XML, checked before it is stored as the next version. */
export function definitionRoutes(
  deps: ProcessesDeps,
  engine: ProcessEngine,
  maxXmlBytes: number,
): Router {
  const router = Router();
  router.get("/definitions", async (_req, res) => {
    const definitions = await deps.definitions.list();
    res.json({ definitions: definitions.map(({ xml: _xml, ...summary }) => summary) });
  });
  router.get("/definitions/:key", async (req, res) => {
    const { key } = parseInput(keyParams, req.params, "params");
    const { version } = parseInput(versionQuery, req.query, "query");
    const definition =
      version === undefined
        ? await deps.definitions.latest(key)
        : await deps.definitions.get(key, version);
    if (!definition)
      throw notFound(`process definition ${key}${version ? ` version ${version}` : ""}`);
    if (req.accepts(["json", "xml"]) === "xml") res.type("application/xml").send(definition.xml);
    else res.json({ definition });
  });
  router.post(
    "/definitions",
    express.text({
      type: ["application/xml", "text/xml", "application/bpmn+xml"],
      limit: maxXmlBytes,
    }),
    async (req, res) => {
      if (typeof req.body !== "string" || req.body.trim() === "")
        throw badRequest("body", "expected a BPMN 2.0 document (Content-Type: application/xml)");
      const { caller } = res.locals as CallerLocals;
      const { definition, created } = await engine.deploy(req.body, caller.name);
      const { xml: _xml, ...summary } = definition;
      res.status(created ? 201 : 200).json({ definition: summary, created });
    },
  );
  return router;
}
