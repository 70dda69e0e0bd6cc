import { createServiceApp, type ServiceRuntime } from "@symbiont/service-kit";
import type { Express } from "express";
import { createCatalogStore } from "./data/catalog-store.js";
import { createDictionaryStore } from "./data/dictionary-store.js";
import { dictionaryRoutes } from "./routes/dictionary-routes.js";
import { itemRoutes } from "./routes/item-routes.js";

export interface MdmDeps {
  runtime: ServiceRuntime;
  maxBodyBytes?: number;
}

/** The MDM app (MISSION C1): catalog items and reference dictionaries, versioned. Never listens. */
export async function buildApp(deps: MdmDeps): Promise<Express> {
  const { runtime } = deps;
  const catalog = createCatalogStore(runtime.connection);
  const dictionaries = createDictionaryStore(runtime.connection);
  await Promise.all([catalog.ready(), dictionaries.ready()]);
  return createServiceApp({
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    maxBodyBytes: deps.maxBodyBytes,
    routers: [
      itemRoutes({ catalog, outbox: runtime.outbox }),
      dictionaryRoutes({ dictionaries, outbox: runtime.outbox }),
    ],
  });
}
