import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKey } from "@symbiont/service-kit";
import type { Task, TaskStatus } from "../domain/task.js";

// Tasks for people; one document per task, keyed by its stable id.

interface TaskDoc extends Task {
  _id: string;
}

const schema = new Schema<TaskDoc>(
  {
    _id: String,
    id: String,
    instanceId: { type: String, index: true },
    processKey: String,
    activityId: String,
    name: String,
    assignee: { type: String, index: true },
    status: { type: String, index: true },
    checklist: [{ _id: false, item: String, done: Boolean }],
    dueAt: String,
    createdAt: String,
    completedAt: String,
    completedBy: String,
    overdueAt: String,
    customerId: String,
  },
  { versionKey: false, collection: "tasks" },
);

export type TaskStore = ReturnType<typeof createTaskStore>;

export function createTaskStore(connection: Connection) {
  const model: Model<TaskDoc> =
    (connection.models.Task as Model<TaskDoc> | undefined) ??
    connection.model<TaskDoc>("Task", schema);
  const plain = ({ _id, ...rest }: TaskDoc): Task => rest;
  return {
    ready: () => model.init().then(() => undefined),
    /** The task as stored: the given one when new, the existing one when its id is taken. */
    async insertOnce(task: Task): Promise<{ task: Task; created: boolean }> {
      try {
        await model.create({ _id: task.id, ...task });
        return { task, created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const existing = await model.findById(task.id).lean<TaskDoc>();
        return { task: plain(existing!), created: false };
      }
    },
    async get(id: string): Promise<Task | undefined> {
      const doc = await model.findById(id).lean<TaskDoc>();
      return doc ? plain(doc) : undefined;
    },
    async list(filter: { assignee?: string; status?: TaskStatus; instanceId?: string }) {
      const docs = await model.find(filter).sort({ createdAt: 1 }).limit(500).lean<TaskDoc[]>();
      return docs.map(plain);
    },
    /** Completes an open task; undefined when it was not open (done by someone else first). */
    async complete(
      id: string,
      change: { completedAt: string; completedBy: string; checklist: Task["checklist"] },
    ): Promise<Task | undefined> {
      const doc = await model
        .findOneAndUpdate(
          { _id: id, status: "open" },
          { $set: { status: "completed", ...change } },
          {
            new: true,
          },
        )
        .lean<TaskDoc>();
      return doc ? plain(doc) : undefined;
    },
    /** Open tasks due by `now` that were not reported overdue. */
    async dueBy(now: Date): Promise<Task[]> {
      const docs = await model
        .find({ status: "open", overdueAt: { $exists: false }, dueAt: { $lte: now.toISOString() } })
        .limit(500)
        .lean<TaskDoc[]>();
      return docs.map(plain);
    },
    async markOverdue(id: string, overdueAt: string): Promise<Task | undefined> {
      const doc = await model
        .findOneAndUpdate(
          { _id: id, overdueAt: { $exists: false } },
          { $set: { overdueAt } },
          { new: true },
        )
        .lean<TaskDoc>();
      return doc ? plain(doc) : undefined;
    },
    async countsOf(assignee: string): Promise<{ done: number; overdue: number; open: number }> {
      const [done, overdue, open] = await Promise.all([
        model.countDocuments({ assignee, status: "completed" }),
        model.countDocuments({ assignee, overdueAt: { $exists: true } }),
        model.countDocuments({ assignee, status: "open" }),
      ]);
      return { done, overdue, open };
    },
  };
}
