import { randomUUID } from "node:crypto";
import { createServiceApp, type ServiceRuntime } from "@symbiont/service-kit";
import { Router, type Express, type RequestHandler } from "express";
import { authenticate } from "./auth/authenticate.js";
import { createFileStore } from "./data/file-store.js";
import type { ObjectStore } from "./data/object-store.js";
import { createSandboxStore } from "./data/sandbox-store.js";
import type { CrashRule, FilesDeps, FilesLimits } from "./domain/files-deps.js";
import { buildIndex, recoverStore, sweepOrphans, type Recovery } from "./domain/recover-store.js";
import { filesSubscriptions } from "./events/files-subscriptions.js";
import { fileRoutes } from "./routes/file-routes.js";
import { sandboxRoutes } from "./routes/sandbox-routes.js";
import { searchRoutes } from "./routes/search-routes.js";
import { createSearchIndex } from "./search/search-index.js";

export interface FilesAppOptions {
  runtime: ServiceRuntime;
  objects: ObjectStore;
  limits: FilesLimits;
  tokenKeys: string[];
  processSandboxOwners?: string[];
  appApiToken?: string;
  maxBodyBytes?: number;
  crashAt?: CrashRule[];
}

/**
 * The files app (MISSION C3). At start it finishes or undoes writes a crash interrupted,
 * then builds the search index from the database. Never listens; `deps` is exposed for
 * tests and benchmarks.
 */
export async function buildApp(
  options: FilesAppOptions,
): Promise<{ app: Express; deps: FilesDeps; recovery: Recovery; indexed: number }> {
  const { runtime } = options;
  const files = createFileStore(runtime.connection);
  const sandboxes = createSandboxStore(runtime.connection);
  await Promise.all([files.ready(), sandboxes.ready(), options.objects.ensureBucket()]);
  const deps: FilesDeps = {
    files,
    sandboxes,
    objects: options.objects,
    index: createSearchIndex(),
    outbox: runtime.outbox,
    logger: runtime.logger,
    limits: options.limits,
    processSandboxOwners: options.processSandboxOwners ?? ["team:managers"],
    now: () => new Date(),
    newId: randomUUID,
    crashAt: options.crashAt,
  };
  const startedAt = deps.now();
  const recovery = await recoverStore(deps);
  const { indexed, keys } = await buildIndex(deps);
  const orphanObjects = await sweepOrphans(deps, keys, startedAt);
  runtime.logger.info(
    { ...recovery, orphanObjects, indexed, seconds: (Date.now() - startedAt.getTime()) / 1000 },
    "store recovered and search index built",
  );
  runtime.readiness.checks.objectStore = () => options.objects.healthy();
  const api = authenticate(options.tokenKeys);
  const app = createServiceApp({
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    maxBodyBytes: options.maxBodyBytes,
    routers: [
      filesSubscriptions(runtime, deps, options.appApiToken),
      withAuthentication(api, sandboxRoutes(deps), fileRoutes(deps), searchRoutes(deps)),
    ],
  });
  return { app, deps, recovery, indexed };
}

/** The API routes behind the caller check: /sandboxes and /search. */
function withAuthentication(check: RequestHandler, ...routers: Router[]): Router {
  const router = Router();
  router.use(["/sandboxes", "/search"], check);
  for (const r of routers) router.use(r);
  return router;
}
