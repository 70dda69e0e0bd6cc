import type { Connection } from "mongoose";
import type { Plan } from "../domain/plan.js";

// Plans entered through the API. They are not derived from events, so a rebuild of the
// reports leaves them as they are.

type PlanDoc = Omit<Plan, "id"> & { _id: string };

export interface PlanStore {
  /** Creates or replaces a plan; its version grows by one on every save. */
  save(plan: Omit<Plan, "version">): Promise<Plan>;
  get(id: string): Promise<Plan | undefined>;
  list(): Promise<Plan[]>;
  remove(id: string): Promise<boolean>;
}

const toPlan = ({ _id, ...rest }: PlanDoc): Plan => ({ id: _id, ...rest });

export function openPlanStore(connection: Connection): PlanStore {
  const collection = () => connection.db!.collection<PlanDoc>("plans");
  return {
    async save({ id, ...fields }) {
      const saved = await collection().findOneAndUpdate(
        { _id: id },
        { $set: fields, $inc: { version: 1 } },
        { upsert: true, returnDocument: "after" },
      );
      return toPlan(saved!);
    },
    async get(id) {
      const doc = await collection().findOne({ _id: id });
      return doc ? toPlan(doc) : undefined;
    },
    async list() {
      const docs = await collection().find({}).toArray();
      return docs.map(toPlan).sort((a, b) => a.from - b.from || a.id.localeCompare(b.id));
    },
    async remove(id) {
      return (await collection().deleteOne({ _id: id })).deletedCount === 1;
    },
  };
}
