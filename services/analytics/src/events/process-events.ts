import { z } from "zod";
import { entityId, reader, time, timeOf } from "./fact-reader.js";

// The processes module's `task.created`, `task.completed`, `task.overdue` and
// `kpi.manager.updated`, as its contract documents them (docs/module-contract.md,
// "processes"): `{task: {id, assignee, dueAt, createdAt, completedAt?, overdueAt?, ...}}` and
// `{managerId, tasks: {done, overdue, open}, ratings: {count, average | null}, revision,
// updatedAt}`. Analytics keeps each task's assignee and times, and each manager's newest
// figures as named KPIs (`tasks.done`, `ratings.average`, ...).

export const taskTopics = {
  created: "task.created",
  completed: "task.completed",
  overdue: "task.overdue",
} as const;
export const kpiUpdatedTopic = "kpi.manager.updated";

const taskEventSchema = z.object({
  task: z.object({
    id: entityId,
    assignee: entityId,
    dueAt: time.optional(),
    createdAt: time.optional(),
    completedAt: time.optional(),
    overdueAt: time.optional(),
  }),
});

export function readTaskEvent(change: keyof typeof taskTopics) {
  return reader(taskEventSchema, ({ task }, context) => [
    {
      kind: "task",
      taskId: task.id,
      assignee: task.assignee,
      change,
      ...(task.dueAt === undefined ? {} : { dueAt: Date.parse(task.dueAt) }),
      at: timeOf(
        context,
        change === "created"
          ? task.createdAt
          : change === "completed"
            ? task.completedAt
            : task.overdueAt,
      ),
    },
  ]);
}

const count = z.number().int().min(0);

export const readKpiUpdated = reader(
  z.object({
    managerId: entityId,
    tasks: z.object({ done: count, overdue: count, open: count }),
    ratings: z.object({ count, average: z.number().finite().min(0).max(10).nullable() }),
    updatedAt: time,
  }),
  ({ managerId, tasks, ratings, updatedAt }) => [
    {
      kind: "kpi",
      managerId,
      values: {
        "tasks.done": tasks.done,
        "tasks.overdue": tasks.overdue,
        "tasks.open": tasks.open,
        "ratings.count": ratings.count,
        ...(ratings.average === null ? {} : { "ratings.average": ratings.average }),
      },
      at: Date.parse(updatedAt),
    },
  ],
);
