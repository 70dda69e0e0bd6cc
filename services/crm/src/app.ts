import { randomUUID } from "node:crypto";
import { createServiceApp, type ServiceRuntime } from "@symbiont/service-kit";
import type { Express } from "express";
import { createCatalogCache } from "./data/catalog-cache.js";
import { openIdentityStore } from "./data/identity-store.js";
import { openMergeStore } from "./data/merge-store.js";
import { createCrmService, type CrmService } from "./domain/crm-service.js";
import { crmSubscriptions } from "./events/crm-subscriptions.js";
import { customerRoutes } from "./routes/customer-routes.js";
import { mergeRoutes } from "./routes/merge-routes.js";
import { touchpointRoutes } from "./routes/touchpoint-routes.js";

export interface CrmAppOptions {
  runtime: ServiceRuntime;
  defaultCountryCode?: string;
  maxBatch?: number;
  maxBodyBytes?: number;
}

/** The CRM / CDP app (MISSION C2). Never listens; `crm` is exposed for tests and benchmarks. */
export async function buildApp(options: CrmAppOptions): Promise<{ app: Express; crm: CrmService }> {
  const { runtime } = options;
  const [identity, merges, catalog] = await Promise.all([
    openIdentityStore(runtime.connection),
    openMergeStore(runtime.connection),
    createCatalogCache(runtime.connection),
  ]);
  await catalog.ready();
  const crm = createCrmService(
    {
      identity,
      merges,
      catalog,
      outbox: runtime.outbox,
      logger: runtime.logger,
      now: () => new Date().toISOString(),
      newId: randomUUID,
      defaultCountryCode: options.defaultCountryCode ?? "7",
    },
    options.maxBatch ?? 500,
  );
  const app = createServiceApp({
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    maxBodyBytes: options.maxBodyBytes,
    routers: [
      touchpointRoutes(crm),
      customerRoutes(crm),
      mergeRoutes(crm),
      ...crmSubscriptions(runtime, crm, catalog),
    ],
  });
  return { app, crm };
}
