import { parseInput } from "@symbiont/service-kit";
import { Router } from "express";
import { z } from "zod";
import { principalOf } from "../auth/authenticate.js";
import type { FilesDeps } from "../domain/files-deps.js";
import { sandboxIdSchema } from "../domain/sandbox.js";
import { searchFiles } from "../domain/search-files.js";

const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(500),
  sandbox: sandboxIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

/** `GET /search?q=&sandbox=&limit=`: by name, path, text and metadata, Russian or English. */
export function searchRoutes(deps: FilesDeps): Router {
  const router = Router();
  router.get("/search", async (req, res) => {
    const query = parseInput(searchQuery, req.query, "query");
    res.json({ hits: await searchFiles(deps, query, principalOf(res)) });
  });
  return router;
}
