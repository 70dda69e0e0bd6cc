import { z } from "zod";
import type { RecordUpdate } from "./record-store.js";

// The marketplace's orders as the `marketplace-order*-out` routes export them
// (docs/module-contract.md, "marketplace"): tolerant readers of what the cabinet shows.

export const orderCreatedTopic = "order.created";
export const orderStatusChangedTopic = "order.status.changed";
export const orderPaidTopic = "order.paid";
export const orderRefundedTopic = "order.refunded";

const id = z.string().min(1).max(128);
const status = z.string().min(1).max(32);

const money = z.number().nonnegative();

export const orderCreatedSchema = z.object({
  orderId: id,
  /** The cabinet's request the order was placed for (a refused request is answered instead). */
  requestId: id.optional(),
  customerId: id,
  partnerId: id,
  title: z.string().max(200),
  quantity: z.number().int().min(1),
  unit: z.string().max(64),
  amount: z.number().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  status,
  createdAt: z.string().max(40),
});

export const orderStatusChangedSchema = z.object({
  orderId: id,
  customerId: id,
  partnerId: id,
  to: status,
  at: z.string().max(40),
  version: z.number().int().min(1),
});

export const orderPaidSchema = z.object({
  orderId: id,
  customerId: id,
  partnerId: id,
  amount: money,
  currency: z.string().regex(/^[A-Z]{3}$/),
  commission: money,
  partnerPayout: money,
  paidAt: z.string().max(40),
});

export const orderRefundedSchema = z.object({
  orderId: id,
  customerId: id,
  partnerId: id,
  refundedTotal: money,
  fullyRefunded: z.boolean(),
  refundedAt: z.string().max(40),
});

/** Whose an order is: the customer's (user cabinet) and the partner's (partner cabinet). */
const ownersOf = (data: { customerId: string; partnerId: string }) => [
  `customer:${data.customerId}`,
  `partner:${data.partnerId}`,
];

/** A new order: its facts, and its first status (the first step of its history). */
export function orderCreatedRecord(data: z.output<typeof orderCreatedSchema>): RecordUpdate {
  return {
    kind: "order",
    id: data.orderId,
    owners: ownersOf(data),
    facts: {
      partnerId: data.partnerId,
      ...(data.requestId ? { requestId: data.requestId } : {}),
      title: data.title,
      quantity: data.quantity,
      unit: data.unit,
      amount: data.amount,
      currency: data.currency,
      createdAt: data.createdAt,
    },
    state: { status: data.status, statusAt: data.createdAt },
    version: 1,
  };
}

/** A step of the order's history: its status when it is the newest step seen. */
export function orderStatusRecord(data: z.output<typeof orderStatusChangedSchema>): RecordUpdate {
  return {
    kind: "order",
    id: data.orderId,
    owners: ownersOf(data),
    facts: { partnerId: data.partnerId },
    state: { status: data.to, statusAt: data.at },
    version: data.version,
  };
}

/** The payment of an order: what the partner is owed after the marketplace's commission. */
export function orderPaidRecord(data: z.output<typeof orderPaidSchema>): RecordUpdate {
  return {
    kind: "order",
    id: data.orderId,
    owners: ownersOf(data),
    facts: {
      partnerId: data.partnerId,
      paidAmount: data.amount,
      currency: data.currency,
      commission: data.commission,
      partnerPayout: data.partnerPayout,
      paidAt: data.paidAt,
    },
  };
}

/** A refund of an order: the total refunded so far (a later refund's total is larger). */
export function orderRefundedRecord(data: z.output<typeof orderRefundedSchema>): RecordUpdate {
  return {
    kind: "order",
    id: data.orderId,
    owners: ownersOf(data),
    facts: {
      partnerId: data.partnerId,
      refundedTotal: data.refundedTotal,
      fullyRefunded: data.fullyRefunded,
      refundedAt: data.refundedAt,
    },
  };
}
