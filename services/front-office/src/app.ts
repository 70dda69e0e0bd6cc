import { createServiceApp, type ServiceRuntime } from "@symbiont/service-kit";
import type { Express, Router } from "express";
import { apiRoutes } from "./cabinet/api-routes.js";
import { cabinetRoutes } from "./cabinet/cabinet-routes.js";
import { createSessionStore, type SessionStore } from "./cabinet/session-store.js";
import { createSsoClient } from "./cabinet/sso-client.js";
import { userCabinetSubscriptions } from "./cabinet-data/cabinet-subscriptions.js";
import { createCustomerLinks } from "./cabinet-data/customer-links.js";
import { createRecordStore } from "./cabinet-data/record-store.js";
import { createCatalogStore, type CatalogStore } from "./catalog/catalog-store.js";
import { catalogSubscription } from "./catalog/catalog-subscription.js";
import type { FrontOfficeConfig } from "./config.js";
import { landingRoutes } from "./landing/landing-routes.js";
import { siteRoutes } from "./site/site-routes.js";

export interface FrontOfficeApp {
  app: Express;
  catalog: CatalogStore;
  sessions?: SessionStore;
}

/** One front-office module, chosen by FRONT_OFFICE_MODULE: the site, the landing-page wizard or the user cabinet. */
export function buildApp(runtime: ServiceRuntime, config: FrontOfficeConfig): FrontOfficeApp {
  const now = () => new Date();
  const catalog = createCatalogStore(runtime.connection);
  const routers: Router[] = [catalogSubscription(runtime, catalog, now)];
  let sessions: SessionStore | undefined;
  if (config.FRONT_OFFICE_MODULE === "user-cabinet") {
    sessions = createSessionStore(runtime.connection);
    const sso = createSsoClient({
      issuer: config.SSO_ISSUER,
      clientId: config.SSO_CLIENT_ID,
      redirectUri: `${config.CABINET_PUBLIC_URL}/callback`,
      postLogoutRedirectUri: `${config.CABINET_PUBLIC_URL}/`,
    });
    const data = {
      links: createCustomerLinks(runtime.connection),
      records: createRecordStore(runtime.connection),
    };
    routers.push(
      ...userCabinetSubscriptions(runtime, data, now),
      apiRoutes({
        sso,
        catalog,
        data,
        outbox: runtime.outbox,
        now,
        publicUrl: config.CABINET_PUBLIC_URL,
        issuer: config.SSO_ISSUER,
      }),
      cabinetRoutes({
        sso,
        sessions,
        catalog,
        data,
        outbox: runtime.outbox,
        keys: config.CABINET_SESSION_KEYS,
        secure: config.CABINET_PUBLIC_URL.startsWith("https:"),
        publicUrl: config.CABINET_PUBLIC_URL,
        sessionTtlSeconds: 8 * 3600,
        logger: runtime.logger,
        now,
      }),
    );
  } else if (config.FRONT_OFFICE_MODULE === "site") {
    routers.push(
      siteRoutes({ site: config.FRONT_OFFICE_SITE_NAME, catalog, outbox: runtime.outbox, now }),
    );
  } else {
    routers.push(landingRoutes({ site: config.FRONT_OFFICE_SITE_NAME, catalog }));
  }
  const app = createServiceApp({
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    maxBodyBytes: config.MAX_BODY_BYTES,
    routers,
  });
  // Behind a Service or an ingress that terminates TLS.
  app.set("trust proxy", 1);
  return { app, catalog, ...(sessions ? { sessions } : {}) };
}
