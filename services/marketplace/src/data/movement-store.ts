import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection } from "mongoose";
import type { Movement } from "../domain/payouts.js";

// The marketplace's money book: one document per payment and per refund, keyed by the
// acquirer's payment or refund id, so the same callback can never be booked twice.

interface MovementDoc extends Omit<Movement, "id" | "at"> {
  _id: string;
  at: Date;
}

const movementSchema = new Schema<MovementDoc>(
  {
    _id: String,
    kind: { type: String, required: true },
    partnerId: { type: String, required: true },
    orderId: { type: String, required: true },
    currency: { type: String, required: true },
    grossMinor: { type: Number, required: true },
    commissionMinor: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: "movements" },
);
movementSchema.index({ at: 1, partnerId: 1 });

export type MovementStore = ReturnType<typeof createMovementStore>;

export function createMovementStore(connection: Connection) {
  const movements = connection.model<MovementDoc>("Movement", movementSchema);
  return {
    ready: () => movements.init(),
    /** "duplicate" when this payment or refund is booked already. */
    async book(movement: Movement): Promise<"booked" | "duplicate"> {
      const { id, at, ...rest } = movement;
      try {
        await movements.create({ ...rest, _id: id, at: new Date(at) });
        return "booked";
      } catch (error) {
        if (isDuplicateKey(error)) return "duplicate";
        throw error;
      }
    },
    /** Movements with `from <= at < to`, of one partner or of all. */
    async between(from: Date, to: Date, partnerId?: string): Promise<Movement[]> {
      const filter: Record<string, unknown> = { at: { $gte: from, $lt: to } };
      if (partnerId !== undefined) filter.partnerId = partnerId;
      const docs = await movements.find(filter).sort({ at: 1 }).lean<MovementDoc[]>();
      return docs.map(({ _id, at, ...rest }) => ({ ...rest, id: _id, at: at.toISOString() }));
    },
  };
}
