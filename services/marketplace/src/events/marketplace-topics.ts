// The topics the marketplace publishes and takes (docs/module-contract.md, "marketplace").
// CloudEvent ids are stable per fact: `<topic>:<entity id>[:<version>]`.

import { orderRequestedTopic, partnerUpdatedTopic, requestRefusedTopic } from "@symbiont/contracts";

export { orderRequestedTopic, partnerUpdatedTopic, requestRefusedTopic };

export const orderCreatedTopic = "order.created";
export const orderStatusChangedTopic = "order.status.changed";
export const orderPaidTopic = "order.paid";
export const orderRefundedTopic = "order.refunded";
export const paymentRequestedTopic = "payment.requested";
export const offerChangedTopic = "marketplace.offer.changed";

export const paymentSucceededTopic = "payment.succeeded";
export const paymentRefundedTopic = "payment.refunded";

export const publishedTopics = [
  orderCreatedTopic,
  orderStatusChangedTopic,
  orderPaidTopic,
  orderRefundedTopic,
  paymentRequestedTopic,
  offerChangedTopic,
  requestRefusedTopic,
] as const;

export const subscribedTopics = [
  orderRequestedTopic,
  partnerUpdatedTopic,
  paymentSucceededTopic,
  paymentRefundedTopic,
] as const;
