import { z } from "zod";
import { entityId, reader, time, timeOf } from "./fact-reader.js";

// The processes module's `task.created`, `task.completed`, `task.overdue` and
// `kpi.manager.updated` (EVENTS.md). Payloads as analytics reads them
// (docs/module-contract.md, "analytics"): `{task: {id, assignee, dueAt?, createdAt?,
// completedAt?}, occurredAt?}` and `{managerId, kpis: {<name>: number}, at?}`.

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
  }),
  occurredAt: time.optional(),
});

export function readTaskEvent(change: keyof typeof taskTopics) {
  return reader(taskEventSchema, ({ task, occurredAt }, context) => [
    {
      kind: "task",
      taskId: task.id,
      assignee: task.assignee,
      change,
      ...(task.dueAt === undefined ? {} : { dueAt: Date.parse(task.dueAt) }),
      at:
        change === "created"
          ? timeOf(context, task.createdAt, occurredAt)
          : change === "completed"
            ? timeOf(context, task.completedAt, occurredAt)
            : timeOf(context, occurredAt),
    },
  ]);
}

const kpiName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, "expected a KPI name (letters, digits, '_', '.', '-')");

export const readKpiUpdated = reader(
  z.object({
    managerId: entityId,
    kpis: z
      .record(kpiName, z.number().finite())
      .refine((kpis) => Object.keys(kpis).length <= 50, "at most 50 KPIs"),
    at: time.optional(),
  }),
  ({ managerId, kpis, at }, context) => [
    { kind: "kpi", managerId, values: kpis, at: timeOf(context, at) },
  ],
);
