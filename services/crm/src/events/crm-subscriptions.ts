import { subscriptionRoute, type ServiceRuntime } from "@symbiont/service-kit";
import type { Router } from "express";
import type { CatalogCache } from "../data/catalog-cache.js";
import { applyItemChange, itemChangedSchema } from "../domain/apply-item-change.js";
import type { CrmService } from "../domain/crm-service.js";
import { toTouchpoint } from "../domain/to-touchpoint.js";
import { touchpointInputSchema } from "../domain/touchpoint.js";
import { ssoLoginSchema, ssoLoginTouchpoint } from "../domain/sso-login.js";
import { itemChangedTopic, ssoLoginTopic, touchpointRecordedTopic } from "./crm-topics.js";

/**
 * `touchpoint.recorded` (from channels), `sso.login` (from the single sign-on, imported from
 * the corporate bus) and `mdm.item.changed` (from MDM), each idempotent.
 */
export function crmSubscriptions(
  runtime: ServiceRuntime,
  crm: CrmService,
  catalog: CatalogCache,
): Router[] {
  const deps = { inbox: runtime.inbox, logger: runtime.logger, metrics: runtime.metrics };
  return [
    subscriptionRoute(
      {
        topic: touchpointRecordedTopic,
        schema: touchpointInputSchema,
        handle: async (input, event) => {
          const d = crm.deps;
          await crm.queue.submit(
            toTouchpoint(input, `event:${event.id}`, d.now(), d.defaultCountryCode),
          );
        },
      },
      deps,
    ),
    subscriptionRoute(
      {
        topic: ssoLoginTopic,
        schema: ssoLoginSchema,
        handle: async (login) => {
          await crm.queue.submit(ssoLoginTouchpoint(login, crm.deps.defaultCountryCode));
        },
      },
      deps,
    ),
    subscriptionRoute(
      {
        topic: itemChangedTopic,
        schema: itemChangedSchema,
        handle: async (change) => {
          await applyItemChange(catalog, change);
        },
      },
      deps,
    ),
  ];
}
