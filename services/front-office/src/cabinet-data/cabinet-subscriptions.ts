import { subscriptionRoute, type ServiceRuntime } from "@symbiont/service-kit";
import type { Router } from "express";
import { customerEventSchema, customerTopics } from "./customer-events.js";
import type { CustomerLinks } from "./customer-links.js";
import { documentRecord, fileStoredSchema, fileTopics } from "./document-events.js";
import { offerRecord, offerSuggestedSchema, offerSuggestedTopic } from "./offer-events.js";
import {
  orderCreatedRecord,
  orderCreatedSchema,
  orderCreatedTopic,
  orderStatusChangedSchema,
  orderStatusChangedTopic,
  orderStatusRecord,
} from "./order-events.js";
import type { RecordStore } from "./record-store.js";

/**
 * What the user cabinet takes from the corporate bus besides the catalog (each exported from
 * the core by a BusRoute): CRM's profiles (whose data is whose), the marketplace's orders,
 * files' documents and analytics' offers. Every handler is idempotent.
 */
export function cabinetSubscriptions(
  runtime: ServiceRuntime,
  stores: { links: CustomerLinks; records: RecordStore },
  now: () => Date,
): Router[] {
  const deps = { inbox: runtime.inbox, logger: runtime.logger, metrics: runtime.metrics };
  const { links, records } = stores;
  return [
    ...customerTopics.map((topic) =>
      subscriptionRoute(
        { topic, schema: customerEventSchema, handle: (data) => links.apply(data, now()) },
        deps,
      ),
    ),
    subscriptionRoute(
      {
        topic: orderCreatedTopic,
        schema: orderCreatedSchema,
        handle: (data) => records.apply(orderCreatedRecord(data), now()),
      },
      deps,
    ),
    subscriptionRoute(
      {
        topic: orderStatusChangedTopic,
        schema: orderStatusChangedSchema,
        handle: (data) => records.apply(orderStatusRecord(data), now()),
      },
      deps,
    ),
    ...fileTopics.map((topic) =>
      subscriptionRoute(
        {
          topic,
          schema: fileStoredSchema,
          handle: async (data) => {
            const record = documentRecord(data);
            if (record) await records.apply(record, now());
          },
        },
        deps,
      ),
    ),
    subscriptionRoute(
      {
        topic: offerSuggestedTopic,
        schema: offerSuggestedSchema,
        handle: (data) => records.apply(offerRecord(data), now()),
      },
      deps,
    ),
  ];
}
