import { subscriptionRoute, type ServiceRuntime } from "@symbiont/service-kit";
import type { Router } from "express";
import type { CatalogStore } from "./catalog-store.js";
import { itemChangedSchema, itemChangedTopic } from "./item-changed.js";

/** `mdm.item.changed` from the corporate bus (exported by `catalog-out`): idempotent. */
export function catalogSubscription(
  runtime: ServiceRuntime,
  catalog: CatalogStore,
  now: () => Date,
): Router {
  return subscriptionRoute(
    {
      topic: itemChangedTopic,
      schema: itemChangedSchema,
      handle: async (change) => {
        await catalog.apply(change.item, now());
      },
    },
    { inbox: runtime.inbox, logger: runtime.logger, metrics: runtime.metrics },
  );
}
