// The marketplace's bus contract alone (`@symbiont/marketplace/events`): topic names and
// payload schemas, for the modules and partners on the other side of each topic.
export * from "./marketplace-topics.js";
export {
  orderCreatedSchema,
  orderPaidSchema,
  orderRefundedSchema,
  orderStatusChangedSchema,
  type OrderCreated,
  type OrderPaid,
  type OrderRefunded,
  type OrderStatusChanged,
} from "./order-events.js";
export {
  paymentRefundedSchema,
  paymentRequestedSchema,
  paymentSucceededSchema,
  type PaymentRefunded,
  type PaymentRequested,
  type PaymentSucceeded,
} from "./payment-events.js";
export {
  orderRequestedSchema,
  partnerUpdatedSchema,
  type OrderRequested,
  type PartnerUpdated,
} from "./inbound-events.js";
export { offerChangedSchema, type OfferChanged } from "./offer-events.js";
