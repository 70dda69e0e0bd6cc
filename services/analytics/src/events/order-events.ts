import {
  orderCreatedSchema,
  orderCreatedTopic,
  orderPaidSchema,
  orderPaidTopic,
  orderRefundedSchema,
  orderRefundedTopic,
  orderStatusChangedSchema,
  orderStatusChangedTopic,
} from "@symbiont/marketplace/events";
import type { Fact, OrderFact } from "../domain/fact.js";
import { reader, toMoney } from "./fact-reader.js";
import { moneyIn, moneyOut } from "./payment-events.js";

// The marketplace's order topics, read with the marketplace's own schemas
// (`@symbiont/marketplace/events`, docs/module-contract.md "marketplace"): flat payloads with
// the customer's unified id, the offer's category and money as `amount` plus `currency`.
// Money: `order.paid` is money in at `paidAt`, `order.refunded` money out at `refundedAt`,
// keyed as the acquirer's reports of the same payment and refund (payment-events.ts).

export const orderTopics = {
  created: orderCreatedTopic,
  statusChanged: orderStatusChangedTopic,
  paid: orderPaidTopic,
  refunded: orderRefundedTopic,
} as const;

function order(fields: Omit<OrderFact, "kind" | "itemIds">): OrderFact {
  return { kind: "order", itemIds: [], ...fields };
}

export const readOrderCreated = reader(orderCreatedSchema, (o) => [
  order({
    orderId: o.orderId,
    status: o.status,
    customerId: o.customerId,
    categories: [o.category],
    total: toMoney(o),
    at: Date.parse(o.createdAt),
  }),
]);

export const readOrderStatusChanged = reader(orderStatusChangedSchema, (o) => [
  order({
    orderId: o.orderId,
    status: o.to,
    customerId: o.customerId,
    categories: [],
    at: Date.parse(o.at),
  }),
]);

export const readOrderPaid = reader(orderPaidSchema, (o): Fact[] => {
  const at = Date.parse(o.paidAt);
  return [
    order({
      orderId: o.orderId,
      status: "paid",
      customerId: o.customerId,
      categories: [o.category],
      at,
    }),
    moneyIn(o, at),
  ];
});

/** A refund is money out; only the refund that leaves nothing to refund ends the order. */
export const readOrderRefunded = reader(orderRefundedSchema, (o): Fact[] => {
  const at = Date.parse(o.refundedAt);
  return [
    ...(o.fullyRefunded
      ? [
          order({
            orderId: o.orderId,
            status: "refunded",
            customerId: o.customerId,
            categories: [o.category],
            at,
          }),
        ]
      : []),
    moneyOut(o, at),
  ];
});
