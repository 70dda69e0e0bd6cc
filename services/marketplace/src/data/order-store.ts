import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection } from "mongoose";
import type { Order } from "../domain/order.js";
import type { OrderStatus } from "../domain/order-machine.js";

// Orders as whole documents, replaced only at the version that was read (optimistic
// concurrency: a payment event and a partner's click on the same order cannot both win).

interface OrderDoc extends Omit<Order, "id" | "createdAt" | "updatedAt"> {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
}

const orderSchema = new Schema<OrderDoc>(
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

function toOrder(doc: OrderDoc): Order {
  const { _id, createdAt, updatedAt, note, ...rest } = doc;
  return {
    ...rest,
    id: _id,
    ...(note ? { note } : {}),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

function toDoc(order: Order): OrderDoc {
  const { id, createdAt, updatedAt, ...rest } = order;
  return { ...rest, _id: id, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

export interface OrderQuery {
  partnerId?: string;
  status?: OrderStatus;
  limit: number;
  skip: number;
}

export type OrderStore = ReturnType<typeof createOrderStore>;

export function createOrderStore(connection: Connection) {
  const orders = connection.model<OrderDoc>("Order", orderSchema);
  return {
    ready: () => orders.init(),
    /** False when the order exists already (the same request placed twice). */
    async insert(order: Order): Promise<boolean> {
      try {
        await orders.create(toDoc(order));
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async find(id: string): Promise<Order | undefined> {
      const doc = await orders.findById(id).lean<OrderDoc>();
      return doc ? toOrder(doc) : undefined;
    },
    async replaceIfVersion(order: Order, expectedVersion: number): Promise<boolean> {
      const result = await orders.replaceOne(
        { _id: order.id, version: expectedVersion },
        toDoc(order),
      );
      return result.modifiedCount === 1;
    },
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
          .lean<OrderDoc[]>(),
        orders.countDocuments(filter),
      ]);
      return { orders: docs.map(toOrder), total };
    },
  };
}
