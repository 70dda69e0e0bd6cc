import { z } from "zod";
import type { Fact, OrderFact } from "../domain/fact.js";
import { entityId, moneyFields, reader, time, toMoney } from "./fact-reader.js";
import { moneyIn, moneyOut } from "./payment-events.js";

// The marketplace's order topics, as its contract documents them (docs/module-contract.md,
// "marketplace"): flat payloads with the customer's unified id, the offer's category and
// money as `amount` (major units) plus `currency`. Analytics reads the fields it needs.
// Money: `order.paid` is money in at `paidAt`, `order.refunded` money out at `refundedAt`,
// keyed as the acquirer's reports of the same payment and refund (payment-events.ts).

export const orderTopics = {
  created: "order.created",
  statusChanged: "order.status.changed",
  paid: "order.paid",
  refunded: "order.refunded",
} as const;

const category = z.string().min(1).max(128);

const orderCreatedSchema = z.object({
  orderId: entityId,
  customerId: entityId,
  category,
  ...moneyFields,
  status: z.string().min(1).max(32),
  createdAt: time,
});

const orderStatusChangedSchema = z.object({
  orderId: entityId,
  customerId: entityId,
  to: z.string().min(1).max(32),
  at: time,
});

const orderPaidSchema = z.object({
  orderId: entityId,
  customerId: entityId,
  category,
  ...moneyFields,
  paidAt: time,
});

const orderRefundedSchema = z.object({
  orderId: entityId,
  refundId: entityId,
  customerId: entityId,
  category,
  ...moneyFields,
  fullyRefunded: z.boolean(),
  refundedAt: time,
});

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
