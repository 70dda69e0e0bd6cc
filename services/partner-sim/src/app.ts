import { createServiceApp, createServiceMetrics } from "@symbiont/service-kit";
import type { Express } from "express";
import type { Logger } from "pino";
import type { PartnerEndpoint } from "./domain/partner-endpoint.js";
import { acquiringRoutes } from "./acquiring/acquiring-routes.js";
import { idpAdminRoutes } from "./idp/idp-admin-routes.js";
import { idpRoutes, type IdentityProviders } from "./idp/idp-routes.js";
import { adminRoutes } from "./routes/admin-routes.js";
import { telephonyRoutes } from "./telephony/telephony-routes.js";

export function buildApp(deps: {
  logger: Logger;
  endpoints: ReadonlyMap<string, PartnerEndpoint>;
  idps: IdentityProviders;
  /** The issuer of an OpenID provider (known once partner-sim listens). */
  issuer: (name: string) => string;
}): Express {
  return createServiceApp({
    logger: deps.logger,
    metrics: createServiceMetrics({ defaultMetrics: false }),
    readiness: { checks: {}, draining: false },
    routers: [
      adminRoutes(deps.endpoints),
      acquiringRoutes(deps.endpoints, deps.logger),
      telephonyRoutes(deps.endpoints),
      idpAdminRoutes(deps.idps, deps.issuer),
      idpRoutes(deps.idps),
    ],
  });
}
