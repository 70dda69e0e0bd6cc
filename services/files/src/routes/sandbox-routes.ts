import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import { principalOf } from "../auth/authenticate.js";
import type { FilesDeps } from "../domain/files-deps.js";
import {
  createSandbox,
  listSandboxes,
  readableSandbox,
  sandboxView,
  shareSandbox,
} from "../domain/sandboxes.js";
import { grantSchema, newSandboxSchema, sandboxIdSchema } from "../domain/sandbox.js";

const idParams = z.strictObject({ id: sandboxIdSchema });

export function sandboxRoutes(deps: FilesDeps): Router {
  const router = Router();
  router.post("/sandboxes", async (req, res) => {
    const principal = principalOf(res);
    const input = parseInput(newSandboxSchema, req.body, "body");
    res.status(201).json(sandboxView(await createSandbox(deps, input, principal), principal));
  });
  router.get("/sandboxes", async (_req, res) => {
    res.json({ sandboxes: await listSandboxes(deps, principalOf(res)) });
  });
  router.get("/sandboxes/:id", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    const principal = principalOf(res);
    res.json(sandboxView(await readableSandbox(deps, id, principal), principal));
  });
  /** Sets one principal's rights (`{principal, rights}`; `rights: []` removes them). */
  router.put("/sandboxes/:id/grants", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "params");
    const grant = parseInput(grantSchema, req.body, "body");
    const principal = principalOf(res);
    res.json(sandboxView(await shareSandbox(deps, id, grant, principal), principal));
  });
  return router;
}
