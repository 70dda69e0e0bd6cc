import { itemChangedTopic, readItemChanged } from "./catalog-events.js";
import {
  customerCreatedTopic,
  customerMergedTopic,
  customerUpdatedTopic,
  readCustomerChanged,
  readCustomerMerged,
} from "./customer-events.js";
import type { FactReader } from "./fact-reader.js";
import { meetingBookedTopic, readMeetingBooked } from "./meeting-events.js";
import {
  orderTopics,
  readOrderCreated,
  readOrderPaid,
  readOrderRefunded,
  readOrderStatusChanged,
} from "./order-events.js";
import { paymentTopics, readPaymentRefunded, readPaymentSucceeded } from "./payment-events.js";
import { kpiUpdatedTopic, readKpiUpdated, readTaskEvent, taskTopics } from "./process-events.js";
import { readTouchpointRecorded, touchpointRecordedTopic } from "./touchpoint-events.js";

/** Every topic analytics subscribes to, with the reader that turns its payload into facts. */
export const factReaders: ReadonlyMap<string, FactReader> = new Map<string, FactReader>([
  [itemChangedTopic, readItemChanged],
  [customerCreatedTopic, readCustomerChanged],
  [customerUpdatedTopic, readCustomerChanged],
  [customerMergedTopic, readCustomerMerged],
  [touchpointRecordedTopic, readTouchpointRecorded],
  [meetingBookedTopic, readMeetingBooked],
  [orderTopics.created, readOrderCreated],
  [orderTopics.statusChanged, readOrderStatusChanged],
  [orderTopics.paid, readOrderPaid],
  [orderTopics.refunded, readOrderRefunded],
  [paymentTopics.succeeded, readPaymentSucceeded],
  [paymentTopics.refunded, readPaymentRefunded],
  [taskTopics.created, readTaskEvent("created")],
  [taskTopics.completed, readTaskEvent("completed")],
  [taskTopics.overdue, readTaskEvent("overdue")],
  [kpiUpdatedTopic, readKpiUpdated],
]);

export const consumedTopics: readonly string[] = [...factReaders.keys()];
