import { Schema, type Connection } from "mongoose";
import type { Order } from "../domain/order.js";
import type { OrderStatus } from "../domain/order-machine.js";
import { fromStoredDoc, versionedCollection, type StoredDoc } from "./versioned-collection.js";

// Orders as whole documents, replaced only at the version that was read (optimistic
// concurrency: a payment event and a partner's click on the same order cannot both win).

const orderSchema = new Schema<StoredDoc<Order>>(
  {
    _id: String,
    requestId: { type: String, required: true },
    customerId: { type: String, required: true },
    partnerId: { type: String, required: true },
    partnerKind: String,
    offerId: { type: String, required: true },
    offerVersion: Number,
    title: String,
    category: String,
    unit: String,
    quantity: Number,
    currency: String,
    unitPriceMinor: Number,
    totalMinor: Number,
    commissionRule: String,
    commissionMinor: Number,
    responseHours: Number,
    completionHours: Number,
    note: String,
    status: { type: String, required: true },
    payment: { type: Schema.Types.Mixed, required: true },
    refunds: { type: Schema.Types.Mixed, default: [] },
    history: { type: Schema.Types.Mixed, default: [] },
    version: { type: Number, required: true },
    createdAt: Date,
    updatedAt: Date,
  },
  { versionKey: false, collection: "orders", minimize: false },
);
orderSchema.index({ partnerId: 1, createdAt: -1 });
orderSchema.index({ status: 1 });

export interface OrderQuery {
  partnerId?: string;
  status?: OrderStatus;
  limit: number;
  skip: number;
}

export type OrderStore = ReturnType<typeof createOrderStore>;

export function createOrderStore(connection: Connection) {
  const orders = connection.model<StoredDoc<Order>>("Order", orderSchema);
  return {
    ...versionedCollection<Order>(orders),
    async list(query: OrderQuery): Promise<{ orders: Order[]; total: number }> {
      const filter: Record<string, unknown> = {};
      if (query.partnerId !== undefined) filter.partnerId = query.partnerId;
      if (query.status !== undefined) filter.status = query.status;
      const [docs, total] = await Promise.all([
        orders
          .find(filter)
          .sort({ createdAt: -1, _id: 1 })
          .skip(query.skip)
          .limit(query.limit)
          .lean<StoredDoc<Order>[]>(),
        orders.countDocuments(filter),
      ]);
      return { orders: docs.map((doc) => fromStoredDoc<Order>(doc)), total };
    },
  };
}
