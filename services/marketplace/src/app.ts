import { randomUUID } from "node:crypto";
import { createServiceApp, type ServiceRuntime } from "@symbiont/service-kit";
import { Router, type Express } from "express";
import { createKeyStore } from "./data/key-store.js";
import { createMovementStore } from "./data/movement-store.js";
import { createOfferStore } from "./data/offer-store.js";
import { createOrderStore } from "./data/order-store.js";
import { createPartnerStore } from "./data/partner-store.js";
import { createRefusalStore } from "./data/refusal-store.js";
import { createRulebookStore } from "./data/rulebook-store.js";
import { defaultRulebook } from "./domain/default-rulebook.js";
import type { MarketplaceDeps } from "./domain/marketplace-deps.js";
import { KeyedRateLimiter, type RateLimit } from "./domain/rate-limiter.js";
import { marketplaceSubscriptions } from "./events/marketplace-subscriptions.js";
import { adminOnly } from "./routes/admin-auth.js";
import { adminMarketRoutes } from "./routes/admin-market-routes.js";
import { adminPartnerRoutes } from "./routes/admin-partner-routes.js";
import { partnerApiRoutes } from "./routes/partner-api-routes.js";
import { partnerOnly } from "./routes/partner-auth.js";

export interface MarketplaceAppOptions {
  runtime: ServiceRuntime;
  adminToken: string;
  keyRateLimit: RateLimit;
  keyOverlapSeconds: number;
  maxBodyBytes?: number;
}

/**
 * The marketplace app (MISSION C6, T3): `/v1/admin/...` for the operator (admin token),
 * `/v1/partner/...` for partners (their API keys, rate-limited), `/events/<topic>` for the
 * bus. Never listens; `deps` is exposed for tests and benchmarks.
 */
export async function buildApp(
  options: MarketplaceAppOptions,
): Promise<{ app: Express; deps: MarketplaceDeps }> {
  const { runtime } = options;
  const { connection } = runtime;
  const deps: MarketplaceDeps = {
    partners: createPartnerStore(connection),
    keys: createKeyStore(connection),
    offers: createOfferStore(connection),
    orders: createOrderStore(connection),
    movements: createMovementStore(connection),
    rules: createRulebookStore(connection),
    outbox: runtime.outbox,
    logger: runtime.logger,
    now: () => new Date(),
    newId: randomUUID,
    keyOverlapSeconds: options.keyOverlapSeconds,
  };
  const refusals = createRefusalStore(connection);
  const at = new Date().toISOString();
  await Promise.all([
    deps.partners.ready(),
    deps.keys.ready(),
    deps.offers.ready(),
    deps.orders.ready(),
    deps.movements.ready(),
    refusals.ready(),
    deps.rules.load({ ...defaultRulebook, version: 1, updatedAt: at }),
  ]);
  const admin = Router().use(
    "/v1/admin",
    adminOnly(options.adminToken),
    adminPartnerRoutes(deps),
    adminMarketRoutes(deps, refusals),
  );
  const partner = Router().use(
    "/v1/partner",
    partnerOnly(deps, new KeyedRateLimiter(), options.keyRateLimit),
    partnerApiRoutes(deps),
  );
  const app = createServiceApp({
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    maxBodyBytes: options.maxBodyBytes,
    routers: [admin, partner, ...marketplaceSubscriptions(runtime, deps, refusals)],
  });
  return { app, deps };
}
