import { pipeline } from "node:stream/promises";
import { parseInput } from "@symbiont/service-kit";
import express, { Router, type Request } from "express";
import { z } from "zod";
import { principalOf } from "../auth/authenticate.js";
import { fileTooLarge } from "../errors.js";
import type { FilesDeps } from "../domain/files-deps.js";
import { versionView } from "../domain/file-version.js";
import { findFile, findVersion, listFiles, openContent } from "../domain/read-files.js";
import { restoreVersion } from "../domain/restore-version.js";
import { linkSchema, sandboxIdSchema, type Link } from "../domain/sandbox.js";
import { uploadFile } from "../domain/upload-file.js";
import { fileView } from "./file-view.js";

const sandboxParams = z.object({ id: sandboxIdSchema });
const versionQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });
const listQuery = z.strictObject({
  prefix: z.string().max(1_024).default(""),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
});
const uploadQuery = z.strictObject({
  /** What the file belongs to: `process:<id>,customer:<id>`. */
  link: z.string().max(2_000).optional(),
});
const restoreBody = z.strictObject({ version: z.number().int().min(1) });

/** The path after `/files/`, `/versions/` or `/restore/` (Express gives its segments). */
function pathParam(req: Request): string {
  const segments = (req.params as { path?: string[] }).path ?? [];
  return segments.join("/");
}

function parseLinks(value: string | undefined): Link[] {
  if (!value) return [];
  const links = value.split(",").map((pair) => {
    const at = pair.indexOf(":");
    return { kind: pair.slice(0, Math.max(at, 0)), id: pair.slice(at + 1) };
  });
  return parseInput(z.array(linkSchema).max(20), links, "query");
}

export function fileRoutes(deps: FilesDeps): Router {
  const router = Router();
  const { maxFileBytes } = deps.limits;
  const rawBody = express.raw({ type: () => true, limit: maxFileBytes });
  router.put(
    "/sandboxes/:id/files/*path",
    (req, _res, next) => {
      // Refused before a byte of the body is read when the client says how big it is.
      const length = Number(req.get("content-length") ?? "0");
      next(length > maxFileBytes ? fileTooLarge(maxFileBytes) : undefined);
    },
    rawBody,
    async (req, res) => {
      const { id } = parseInput(sandboxParams, { id: req.params.id }, "params");
      const { link } = parseInput(uploadQuery, req.query, "query");
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const stored = await uploadFile(
        deps,
        {
          sandboxId: id,
          path: pathParam(req),
          contentType: req.get("content-type"),
          bytes,
          links: parseLinks(link),
        },
        principalOf(res),
      );
      res.status(stored.version === 1 ? 201 : 200).json(stored);
    },
  );
  router.get("/sandboxes/:id/files", async (req, res) => {
    const { id } = parseInput(sandboxParams, req.params, "params");
    const { prefix, limit } = parseInput(listQuery, req.query, "query");
    const files = await listFiles(deps, id, prefix, limit, principalOf(res));
    res.json({ files: files.map(fileView) });
  });
  router.get("/sandboxes/:id/files/*path", async (req, res) => {
    const { id } = parseInput(sandboxParams, { id: req.params.id }, "params");
    const { version } = parseInput(versionQuery, req.query, "query");
    const file = await findFile(deps, id, pathParam(req), principalOf(res));
    const stored = await findVersion(deps, file, version);
    const content = await openContent(deps, stored);
    res.status(200).set({
      "content-type": stored.contentType,
      "content-length": String(stored.size),
      etag: `"${stored.sha256}"`,
      "x-file-version": String(stored.version),
      "x-content-type-options": "nosniff",
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    });
    await pipeline(content, res);
  });
  router.get("/sandboxes/:id/versions/*path", async (req, res) => {
    const { id } = parseInput(sandboxParams, { id: req.params.id }, "params");
    const file = await findFile(deps, id, pathParam(req), principalOf(res));
    const versions = await deps.files.listVersions(file.id, file.currentVersion);
    res.json({ file: fileView(file), versions: versions.map(versionView) });
  });
  router.post("/sandboxes/:id/restore/*path", async (req, res) => {
    const { id } = parseInput(sandboxParams, { id: req.params.id }, "params");
    const { version } = parseInput(restoreBody, req.body, "body");
    const stored = await restoreVersion(deps, id, pathParam(req), version, principalOf(res));
    res.status(200).json(stored);
  });
  return router;
}
