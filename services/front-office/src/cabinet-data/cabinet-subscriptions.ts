import { subscriptionRoute, type ServiceRuntime } from "@symbiont/service-kit";
import type { Router } from "express";
import type { z } from "zod";
import { customerEventSchema, customerTopics } from "./customer-events.js";
import type { CustomerLinks } from "./customer-links.js";
import {
  documentRecord,
  fileSharedSchema,
  fileSharedTopic,
  fileStoredSchema,
  fileTopics,
  sandboxFileRecord,
  sandboxGrantRecord,
} from "./document-events.js";
import {
  marketOfferChangedSchema,
  marketOfferChangedTopic,
  marketOfferRecord,
} from "./market-offer-events.js";
import { offerRecord, offerSuggestedSchema, offerSuggestedTopic } from "./offer-events.js";
import {
  orderPaidRecord,
  orderPaidSchema,
  orderPaidTopic,
  orderRefundedRecord,
  orderRefundedSchema,
  orderRefundedTopic,
  orderCreatedRecord,
  orderCreatedSchema,
  orderCreatedTopic,
  orderStatusChangedSchema,
  orderStatusChangedTopic,
  orderStatusRecord,
} from "./order-events.js";
import type { RecordStore, RecordUpdate } from "./record-store.js";
import { settledRequestNote, type RequestNote } from "./request-notes.js";
import {
  customerRefusalRecord,
  partnerRefusalRecord,
  requestRefusedSchema,
  requestRefusedTopic,
} from "./refusal-events.js";

type Deps = Pick<ServiceRuntime, "inbox" | "logger" | "metrics">;

/**
 * One topic into the record store (an event that names no owner here is skipped); `settles`:
 * the request note the event answers, deleted once the answer is stored.
 */
function recordRoute<Schema extends z.ZodType>(
  deps: Deps,
  records: RecordStore,
  now: () => Date,
  topic: string,
  schema: Schema,
  toRecord: (data: z.output<Schema>) => RecordUpdate | undefined,
  settles?: (data: z.output<Schema>) => RequestNote | undefined,
): Router {
  return subscriptionRoute(
    {
      topic,
      schema,
      handle: async (data) => {
        const record = toRecord(data);
        if (record) await records.apply(record, now());
        const note = settles?.(data);
        if (note) await records.remove(note.kind, note.id, note.owners);
      },
    },
    { inbox: deps.inbox, logger: deps.logger, metrics: deps.metrics },
  );
}

/**
 * What the user cabinet takes from the corporate bus besides the catalog (each exported from
 * the core by a BusRoute): CRM's profiles (whose data is whose), the marketplace's orders and
 * offers, files' documents and analytics' offers. Every handler is idempotent.
 */
export function userCabinetSubscriptions(
  runtime: Deps,
  stores: { links: CustomerLinks; records: RecordStore },
  now: () => Date,
): Router[] {
  const { links, records } = stores;
  const route = <S extends z.ZodType>(
    topic: string,
    schema: S,
    toRecord: (data: z.output<S>) => RecordUpdate | undefined,
    settles?: (data: z.output<S>) => RequestNote | undefined,
  ) => recordRoute(runtime, records, now, topic, schema, toRecord, settles);
  return [
    ...customerTopics.map((topic) =>
      subscriptionRoute(
        { topic, schema: customerEventSchema, handle: (data) => links.apply(data, now()) },
        { inbox: runtime.inbox, logger: runtime.logger, metrics: runtime.metrics },
      ),
    ),
    route(orderCreatedTopic, orderCreatedSchema, orderCreatedRecord, settledRequestNote),
    route(orderStatusChangedTopic, orderStatusChangedSchema, orderStatusRecord),
    ...fileTopics.map((topic) => route(topic, fileStoredSchema, documentRecord)),
    route(offerSuggestedTopic, offerSuggestedSchema, offerRecord),
    route(marketOfferChangedTopic, marketOfferChangedSchema, marketOfferRecord),
    route(requestRefusedTopic, requestRefusedSchema, customerRefusalRecord, settledRequestNote),
  ];
}

/**
 * The marketplace partner cabinet (F4): the marketplace's orders, payments and refunds, and
 * the offers as the marketplace has them, and its answers to the partner's refused requests.
 */
export function partnerCabinetSubscriptions(
  runtime: Deps,
  records: RecordStore,
  now: () => Date,
): Router[] {
  return [
    recordRoute(runtime, records, now, orderCreatedTopic, orderCreatedSchema, orderCreatedRecord),
    recordRoute(
      runtime,
      records,
      now,
      orderStatusChangedTopic,
      orderStatusChangedSchema,
      orderStatusRecord,
    ),
    recordRoute(runtime, records, now, orderPaidTopic, orderPaidSchema, orderPaidRecord),
    recordRoute(
      runtime,
      records,
      now,
      orderRefundedTopic,
      orderRefundedSchema,
      orderRefundedRecord,
    ),
    recordRoute(
      runtime,
      records,
      now,
      marketOfferChangedTopic,
      marketOfferChangedSchema,
      marketOfferRecord,
    ),
    recordRoute(
      runtime,
      records,
      now,
      requestRefusedTopic,
      requestRefusedSchema,
      partnerRefusalRecord,
    ),
  ];
}

/** The company partner cabinet (F5): sandboxes shared with partners, and their files. */
export function companyCabinetSubscriptions(
  runtime: Deps,
  records: RecordStore,
  now: () => Date,
): Router[] {
  return [
    recordRoute(runtime, records, now, fileSharedTopic, fileSharedSchema, sandboxGrantRecord),
    ...fileTopics.map((topic) =>
      recordRoute(runtime, records, now, topic, fileStoredSchema, sandboxFileRecord),
    ),
  ];
}
