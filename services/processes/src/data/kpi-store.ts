import { Schema, type Connection, type Model } from "mongoose";

// The revision of each manager's KPIs: every publication of `kpi.manager.updated` takes the
// next one, so its event id is new and analytics keeps the newest.

interface KpiDoc {
  _id: string;
  revision: number;
}

const schema = new Schema<KpiDoc>(
  { _id: String, revision: Number },
  { versionKey: false, collection: "manager_kpis" },
);

export type KpiStore = ReturnType<typeof createKpiStore>;

export function createKpiStore(connection: Connection) {
  const model: Model<KpiDoc> =
    (connection.models.ManagerKpi as Model<KpiDoc> | undefined) ??
    connection.model<KpiDoc>("ManagerKpi", schema);
  return {
    ready: () => model.init().then(() => undefined),
    async nextRevision(managerId: string): Promise<number> {
      const doc = await model
        .findOneAndUpdate(
          { _id: managerId },
          { $inc: { revision: 1 } },
          { new: true, upsert: true },
        )
        .lean<KpiDoc>();
      return doc!.revision;
    },
  };
}
