import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKey } from "@symbiont/service-kit";

// Clients' ratings of their meetings: one per process instance (the first reply counts).

export interface Rating {
  instanceId: string;
  managerId: string;
  customerId: string;
  rating: number;
  at: string;
}

interface RatingDoc extends Rating {
  _id: string;
}

const schema = new Schema<RatingDoc>(
  {
    _id: String,
    instanceId: String,
    managerId: { type: String, index: true },
    customerId: String,
    rating: Number,
    at: String,
  },
  { versionKey: false, collection: "ratings" },
);

export type RatingStore = ReturnType<typeof createRatingStore>;

export function createRatingStore(connection: Connection) {
  const model: Model<RatingDoc> =
    (connection.models.Rating as Model<RatingDoc> | undefined) ??
    connection.model<RatingDoc>("Rating", schema);
  return {
    ready: () => model.init().then(() => undefined),
    /** False when the instance has a rating already. */
    async insertOnce(rating: Rating): Promise<boolean> {
      try {
        await model.create({ _id: rating.instanceId, ...rating });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async ratingsOf(managerId: string): Promise<number[]> {
      const docs = await model.find({ managerId }, { rating: 1 }).lean<RatingDoc[]>();
      return docs.map((doc) => doc.rating);
    },
  };
}
