import { createServiceApp, type ServiceRuntime } from "@symbiont/service-kit";
import type { Express, Router } from "express";
import { apiRoutes } from "./cabinet/api-routes.js";
import { signedOutPage } from "./cabinet/cabinet-pages.js";
import { cabinetRoutes } from "./cabinet/cabinet-routes.js";
import { userCabinetRoutes } from "./cabinet/user-cabinet-routes.js";
import { createSessionStore, type SessionStore } from "./cabinet/session-store.js";
import { createSsoClient } from "./cabinet/sso-client.js";
import {
  companyCabinetSubscriptions,
  partnerCabinetSubscriptions,
  userCabinetSubscriptions,
} from "./cabinet-data/cabinet-subscriptions.js";
import { partnerSignedOutPage } from "./partner/partner-pages.js";
import { partnerCabinetRoutes } from "./partner/partner-routes.js";
import { createCustomerLinks } from "./cabinet-data/customer-links.js";
import { createRecordStore } from "./cabinet-data/record-store.js";
import { createCatalogStore, type CatalogStore } from "./catalog/catalog-store.js";
import { catalogSubscription } from "./catalog/catalog-subscription.js";
import { isCabinetConfig, type FrontOfficeConfig } from "./config.js";
import { landingRoutes } from "./landing/landing-routes.js";
import { siteRoutes } from "./site/site-routes.js";

export interface FrontOfficeApp {
  app: Express;
  catalog: CatalogStore;
  sessions?: SessionStore;
}

/**
 * One front-office module, chosen by FRONT_OFFICE_MODULE: the site, the landing-page wizard,
 * the user cabinet, or a partner cabinet (marketplace or company partner).
 */
export function buildApp(runtime: ServiceRuntime, config: FrontOfficeConfig): FrontOfficeApp {
  const now = () => new Date();
  const catalog = createCatalogStore(runtime.connection);
  const routers: Router[] = [catalogSubscription(runtime, catalog, now)];
  let sessions: SessionStore | undefined;
  if (config.FRONT_OFFICE_MODULE === "site") {
    routers.push(
      siteRoutes({ site: config.FRONT_OFFICE_SITE_NAME, catalog, outbox: runtime.outbox, now }),
    );
  } else if (!isCabinetConfig(config)) {
    routers.push(landingRoutes({ site: config.FRONT_OFFICE_SITE_NAME, catalog }));
  } else {
    const module = config.FRONT_OFFICE_MODULE;
    sessions = createSessionStore(runtime.connection);
    const sso = createSsoClient({
      issuer: config.SSO_ISSUER,
      clientId: config.SSO_CLIENT_ID,
      redirectUri: `${config.CABINET_PUBLIC_URL}/callback`,
      postLogoutRedirectUri: `${config.CABINET_PUBLIC_URL}/`,
    });
    const records = createRecordStore(runtime.connection);
    const partnerKind =
      module === "partner-cabinet"
        ? "marketplace"
        : module === "company-partner-cabinet"
          ? "company"
          : undefined;
    routers.push(
      cabinetRoutes({
        sso,
        sessions,
        keys: config.CABINET_SESSION_KEYS,
        secure: config.CABINET_PUBLIC_URL.startsWith("https:"),
        publicUrl: config.CABINET_PUBLIC_URL,
        sessionTtlSeconds: 8 * 3600,
        logger: runtime.logger,
        now,
        signedOutPage: partnerKind
          ? (notice) => partnerSignedOutPage(partnerKind, notice)
          : signedOutPage,
      }),
    );
    if (partnerKind === "marketplace")
      routers.push(
        ...partnerCabinetSubscriptions(runtime, records, now),
        partnerCabinetRoutes("marketplace", records, runtime.outbox),
      );
    else if (partnerKind === "company")
      routers.push(
        ...companyCabinetSubscriptions(runtime, records, now),
        partnerCabinetRoutes("company", records),
      );
    else {
      const data = { links: createCustomerLinks(runtime.connection), records };
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
        userCabinetRoutes({
          catalog,
          data,
          outbox: runtime.outbox,
          now,
          meetingManager: config.CABINET_MEETING_MANAGER,
        }),
      );
    }
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
