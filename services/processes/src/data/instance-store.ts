import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKey } from "@symbiont/service-kit";

// Process instances and the engine's state at their last step. The state is kept as the
// engine's JSON text (its keys are not all valid document keys); a restart recovers every
// running instance from it. `received` keeps messages that arrived for an instance (a
// stored contract), so a wait that starts after its message still finds it.

export const instanceStatuses = ["running", "completed", "failed"] as const;
export type InstanceStatus = (typeof instanceStatuses)[number];

export interface Instance {
  id: string;
  definitionKey: string;
  definitionVersion: number;
  /** What the instance is about (`meeting:<id>`), unique: a second start finds the first. */
  businessKey: string;
  status: InstanceStatus;
  variables: Record<string, unknown>;
  /** Activities waiting now (user tasks, receive tasks, timers). */
  waiting: string[];
  received: ReceivedMessage[];
  startedAt: string;
  startedBy: string;
  updatedAt: string;
  endedAt?: string;
  error?: string;
}

export interface ReceivedMessage {
  message: string;
  payload: Record<string, unknown>;
}

interface InstanceDoc extends Instance {
  _id: string;
  state?: string;
}

const schema = new Schema<InstanceDoc>(
  {
    _id: String,
    id: String,
    definitionKey: { type: String, required: true },
    definitionVersion: Number,
    businessKey: { type: String, required: true, unique: true },
    status: { type: String, required: true, index: true },
    variables: Schema.Types.Mixed,
    waiting: [String],
    received: [{ _id: false, message: String, payload: Schema.Types.Mixed }],
    startedAt: String,
    startedBy: String,
    updatedAt: String,
    endedAt: String,
    error: String,
    state: String,
  },
  { versionKey: false, collection: "process_instances", minimize: false },
);

export type InstanceStore = ReturnType<typeof createInstanceStore>;

export function createInstanceStore(connection: Connection) {
  const model: Model<InstanceDoc> =
    (connection.models.ProcessInstance as Model<InstanceDoc> | undefined) ??
    connection.model<InstanceDoc>("ProcessInstance", schema);
  const plain = ({ _id, state: _state, ...rest }: InstanceDoc): Instance => rest;
  return {
    ready: () => model.init().then(() => undefined),
    /** False when an instance with this business key exists already. */
    async insert(instance: Instance): Promise<boolean> {
      try {
        await model.create({ _id: instance.id, ...instance });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async get(id: string): Promise<Instance | undefined> {
      const doc = await model.findById(id).lean<InstanceDoc>();
      return doc ? plain(doc) : undefined;
    },
    async byBusinessKey(businessKey: string): Promise<Instance | undefined> {
      const doc = await model.findOne({ businessKey }).lean<InstanceDoc>();
      return doc ? plain(doc) : undefined;
    },
    async list(filter: { status?: InstanceStatus; definitionKey?: string }, limit: number) {
      const docs = await model
        .find(filter)
        .sort({ startedAt: -1 })
        .limit(limit)
        .lean<InstanceDoc[]>();
      return docs.map(plain);
    },
    async running(): Promise<Array<{ instance: Instance; state?: string }>> {
      const docs = await model.find({ status: "running" }).lean<InstanceDoc[]>();
      return docs.map((doc) => ({ instance: plain(doc), state: doc.state }));
    },
    async saveState(
      id: string,
      change: { state: string; waiting: string[]; status?: InstanceStatus; error?: string },
      now: Date,
    ): Promise<void> {
      const ended = change.status && change.status !== "running";
      await model.updateOne(
        { _id: id },
        {
          $set: {
            state: change.state,
            waiting: change.waiting,
            updatedAt: now.toISOString(),
            ...(change.status ? { status: change.status } : {}),
            ...(ended ? { endedAt: now.toISOString() } : {}),
            ...(change.error ? { error: change.error } : {}),
          },
        },
      );
    },
    async receive(id: string, message: string, payload: Record<string, unknown>): Promise<void> {
      // The first message of a name is the one kept (a redelivery changes nothing).
      await model.updateOne(
        { _id: id, "received.message": { $ne: message } },
        { $push: { received: { message, payload } } },
      );
    },
  };
}
