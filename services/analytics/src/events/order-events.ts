import { z } from "zod";
import type { Fact, OrderFact } from "../domain/fact.js";
import {
  entityId,
  moneySchema,
  reader,
  time,
  timeOf,
  toMoney,
  type ReadContext,
} from "./fact-reader.js";

// The marketplace's order topics (EVENTS.md). Payload as analytics reads it (see
// docs/module-contract.md, "analytics"): `{order: {id, customerId?, status?, channel?,
// items?: [{itemId?, category?}], total?: {amount, currency}, createdAt?, updatedAt?},
// payment?: {id?, amount?, paidAt?}, refund?: {id?, amount?, refundedAt?}}`.
// An order's payment is one payment: `order.paid` and the acquirer's `payment.succeeded`
// for the same order are counted once in the cash flow (key `order:<orderId>`).

export const orderTopics = {
  created: "order.created",
  statusChanged: "order.status.changed",
  paid: "order.paid",
  refunded: "order.refunded",
} as const;

const orderSchema = z.object({
  id: entityId,
  customerId: entityId.optional(),
  status: z.string().min(1).max(32).optional(),
  channel: z.string().min(1).max(64).optional(),
  items: z
    .array(
      z.object({ itemId: entityId.optional(), category: z.string().min(1).max(64).optional() }),
    )
    .max(200)
    .default([]),
  total: moneySchema.optional(),
  createdAt: time.optional(),
  updatedAt: time.optional(),
});

const orderEventSchema = z.object({
  order: orderSchema,
  payment: z
    .object({ id: entityId.optional(), amount: moneySchema.optional(), paidAt: time.optional() })
    .optional(),
  refund: z
    .object({
      id: entityId.optional(),
      amount: moneySchema.optional(),
      refundedAt: time.optional(),
    })
    .optional(),
  occurredAt: time.optional(),
});

type OrderEvent = z.output<typeof orderEventSchema>;

function orderFact(event: OrderEvent, status: string, at: number): OrderFact {
  const { order } = event;
  return {
    kind: "order",
    orderId: order.id,
    status,
    ...(order.customerId === undefined ? {} : { customerId: order.customerId }),
    ...(order.channel === undefined ? {} : { channel: order.channel }),
    itemIds: order.items.flatMap((item) => (item.itemId ? [item.itemId] : [])),
    categories: order.items.flatMap((item) => (item.category ? [item.category] : [])),
    ...(order.total === undefined ? {} : { total: toMoney(order.total) }),
    at,
  };
}

/** A reader for one order topic; `status` is the topic's, or the payload's for a status change. */
export function readOrderEvent(topic: (typeof orderTopics)[keyof typeof orderTopics]) {
  return reader(orderEventSchema, (event, context: ReadContext): Fact[] => {
    const { order } = event;
    if (topic === orderTopics.created)
      return [orderFact(event, "created", timeOf(context, order.createdAt, event.occurredAt))];
    if (topic === orderTopics.statusChanged)
      return [
        orderFact(
          event,
          order.status ?? "created",
          timeOf(context, event.occurredAt, order.updatedAt),
        ),
      ];
    if (topic === orderTopics.paid) {
      const at = timeOf(context, event.payment?.paidAt, event.occurredAt, order.updatedAt);
      const amount = event.payment?.amount ?? order.total;
      return [
        orderFact(event, "paid", at),
        {
          kind: "payment",
          paymentKey: `order:${order.id}`,
          direction: "in",
          orderId: order.id,
          ...(amount === undefined ? {} : { amount: toMoney(amount) }),
          at,
        },
      ];
    }
    const at = timeOf(context, event.refund?.refundedAt, event.occurredAt, order.updatedAt);
    const amount = event.refund?.amount ?? order.total;
    return [
      orderFact(event, "refunded", at),
      {
        kind: "payment",
        paymentKey: `refund:${event.refund?.id ?? order.id}`,
        direction: "out",
        orderId: order.id,
        ...(amount === undefined ? {} : { amount: toMoney(amount) }),
        at,
      },
    ];
  });
}
