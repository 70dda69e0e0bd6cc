import { z } from "zod";
import type { RecordUpdate } from "./record-store.js";

// The marketplace's orders as the `marketplace-order*-out` routes export them
// (docs/module-contract.md, "marketplace"): tolerant readers of what the cabinet shows.

export const orderCreatedTopic = "order.created";
export const orderStatusChangedTopic = "order.status.changed";

const id = z.string().min(1).max(128);
const status = z.string().min(1).max(32);

export const orderCreatedSchema = z.object({
  orderId: id,
  customerId: id,
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
  to: status,
  at: z.string().max(40),
  version: z.number().int().min(1),
});

/** A new order: its facts, and its first status (the first step of its history). */
export function orderCreatedRecord(data: z.output<typeof orderCreatedSchema>): RecordUpdate {
  return {
    kind: "order",
    id: data.orderId,
    customerIds: [data.customerId],
    facts: {
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
    customerIds: [data.customerId],
    facts: {},
    state: { status: data.to, statusAt: data.at },
    version: data.version,
  };
}
