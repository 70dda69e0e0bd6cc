export { buildApp, type MarketplaceAppOptions } from "./app.js";
export { loadMarketplaceConfig, type MarketplaceConfig } from "./config.js";
export * from "./events/marketplace-topics.js";
export {
  orderCreatedSchema,
  orderPaidSchema,
  orderRefundedSchema,
  orderStatusChangedSchema,
  type OrderCreated,
  type OrderPaid,
  type OrderRefunded,
  type OrderStatusChanged,
} from "./events/order-events.js";
export {
  paymentRefundedSchema,
  paymentRequestedSchema,
  paymentSucceededSchema,
  type PaymentRefunded,
  type PaymentRequested,
  type PaymentSucceeded,
} from "./events/payment-events.js";
export {
  orderRequestedSchema,
  partnerUpdatedSchema,
  type OrderRequested,
  type PartnerUpdated,
} from "./events/inbound-events.js";
export { offerChangedSchema, type OfferChanged } from "./events/offer-events.js";
export {
  orderTransitions,
  orderStatuses,
  type OrderStatus,
  type TransitionName,
} from "./domain/order-machine.js";
export { defaultRulebook } from "./domain/default-rulebook.js";
export type { RulebookInput, Rule } from "./domain/rulebook.js";
