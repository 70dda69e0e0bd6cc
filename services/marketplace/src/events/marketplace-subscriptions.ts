import type { ServiceRuntime } from "@symbiont/service-kit";
import type { Router } from "express";
import { Counter } from "prom-client";
import type { Refusal, RefusalStore } from "../data/refusal-store.js";
import { applyPartnerUpdate } from "../domain/apply-partner-update.js";
import type { MarketplaceDeps } from "../domain/marketplace-deps.js";
import { placeOrder } from "../domain/orders.js";
import { applyPaymentRefunded, applyPaymentSucceeded } from "../domain/payments.js";
import { orderRequestedSchema, partnerUpdatedSchema } from "./inbound-events.js";
import {
  orderRequestedTopic,
  partnerUpdatedTopic,
  paymentRefundedTopic,
  paymentSucceededTopic,
} from "./marketplace-topics.js";
import { paymentRefundedSchema, paymentSucceededSchema } from "./payment-events.js";
import { requestRefused } from "./refusal-events.js";
import { refusingSubscription } from "./refusing-subscription.js";

/** The marketplace's inputs from the bus: order requests, partner updates, the acquirer's callbacks. */
export function marketplaceSubscriptions(
  runtime: ServiceRuntime,
  deps: MarketplaceDeps,
  refusals: RefusalStore,
): Router[] {
  const callbacks = new Counter({
    name: "symbiont_marketplace_payment_callbacks_total",
    help: "Acquirer callbacks taken, by topic and outcome (applied, duplicate: that payment or refund was applied already)",
    labelNames: ["topic", "outcome"] as const,
    registers: [runtime.metrics.registry],
  });
  // Why, for the operator; and, for a cabinet's request, the answer to whoever sent it.
  const refused = async (refusal: Refusal) => {
    await refusals.record(refusal);
    const answer = requestRefused(refusal);
    if (answer) await deps.outbox.send([answer]);
  };
  return [
    refusingSubscription(
      {
        topic: orderRequestedTopic,
        schema: orderRequestedSchema,
        handle: async (request) => {
          const { requestedAt: _at, ...rest } = request;
          await placeOrder(deps, rest, { kind: "customer", id: request.customerId }, "event");
        },
      },
      runtime,
      refused,
    ),
    refusingSubscription(
      {
        topic: partnerUpdatedTopic,
        schema: partnerUpdatedSchema,
        handle: (update) => applyPartnerUpdate(deps, update),
      },
      runtime,
      refused,
    ),
    refusingSubscription(
      {
        topic: paymentSucceededTopic,
        schema: paymentSucceededSchema,
        handle: async (payment, event) => {
          callbacks.inc({
            topic: paymentSucceededTopic,
            outcome: await applyPaymentSucceeded(deps, payment, event.id),
          });
        },
      },
      runtime,
      refused,
    ),
    refusingSubscription(
      {
        topic: paymentRefundedTopic,
        schema: paymentRefundedSchema,
        handle: async (refund, event) => {
          callbacks.inc({
            topic: paymentRefundedTopic,
            outcome: await applyPaymentRefunded(deps, refund, event.id),
          });
        },
      },
      runtime,
      refused,
    ),
  ];
}
