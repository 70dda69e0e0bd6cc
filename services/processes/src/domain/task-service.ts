import { conflictOf, forbiddenTask, taskNotFound } from "./task-errors.js";
import { managerKpi } from "./kpi.js";
import type { ProcessesDeps } from "./processes-deps.js";
import { checklistOf, isNewlyOverdue, taskIdOf, type ChecklistItem, type Task } from "./task.js";
import { shift } from "./duration.js";
import type { Wait } from "../engine/live-instance.js";
import { kpiUpdated, taskEvent } from "../events/processes-topics.js";

// Tasks for people: made when an instance reaches a user task, completed by their assignee,
// reported overdue once. Each change publishes its task event and the assignee's KPIs.

export interface TaskContext {
  instanceId: string;
  processKey: string;
  customerId?: string;
}

/** The task of a waiting user task (made once; a restart finds the same task). */
export async function taskForWait(
  deps: ProcessesDeps,
  context: TaskContext,
  wait: Wait,
): Promise<Task> {
  const { activity } = wait;
  const now = deps.now();
  const assignee = String(wait.resolve(activity.assignee ?? "") ?? "").trim();
  if (!assignee) throw new Error(`user task ${activity.id}: its assignee resolved to nothing`);
  const task: Task = {
    id: taskIdOf(context.instanceId, wait.executionId),
    instanceId: context.instanceId,
    processKey: context.processKey,
    activityId: activity.id,
    // A name may name the instance's variables (`Call back ${environment.variables.phone}`).
    name: activity.name ? String(wait.resolve(activity.name) ?? activity.name) : activity.id,
    assignee,
    status: "open",
    checklist: checklistOf(activity.attrs.checklist),
    createdAt: now.toISOString(),
    ...dueOf(wait, now),
    ...(context.customerId ? { customerId: context.customerId } : {}),
  };
  const stored = await deps.tasks.insertOnce(task);
  if (stored.created) {
    await deps.outbox.send([taskEvent("created", stored.task)]);
    await publishKpi(deps, stored.task.assignee);
  }
  return stored.task;
}

function dueOf(wait: Wait, now: Date): { dueAt?: string } {
  const { dueDate, dueIn } = wait.activity.attrs;
  if (dueDate) {
    const at = new Date(String(wait.resolve(dueDate)));
    if (Number.isNaN(at.getTime())) throw new Error(`${wait.activity.id}: dueDate is not a time`);
    return { dueAt: at.toISOString() };
  }
  if (dueIn) return { dueAt: shift(now, String(wait.resolve(dueIn))).toISOString() };
  return {};
}

/**
 * Completes a task as `caller` (its assignee, or an admin): the checklist items named in
 * `done` are ticked. Answers the completed task; the caller signals the engine.
 */
export async function completeTask(
  deps: ProcessesDeps,
  taskId: string,
  caller: { name: string; role: "manager" | "admin" },
  done: readonly string[],
): Promise<Task> {
  const task = await deps.tasks.get(taskId);
  if (!task) throw taskNotFound(taskId);
  if (caller.role !== "admin" && task.assignee !== caller.name)
    throw forbiddenTask(caller.name, task);
  if (task.status !== "open") throw conflictOf(task);
  const unknown = done.filter((item) => !task.checklist.some((c) => c.item === item));
  if (unknown.length > 0) throw conflictOf(task, unknown);
  const checklist: ChecklistItem[] = task.checklist.map((c) => ({
    item: c.item,
    done: c.done || done.includes(c.item),
  }));
  const completed = await deps.tasks.complete(taskId, {
    completedAt: deps.now().toISOString(),
    completedBy: caller.name,
    checklist,
  });
  if (!completed) throw conflictOf({ ...task, status: "completed" });
  await deps.outbox.send([taskEvent("completed", completed)]);
  await publishKpi(deps, completed.assignee);
  return completed;
}

/** Reports the open tasks whose due date passed; answers how many. */
export async function reportOverdue(deps: ProcessesDeps): Promise<number> {
  const now = deps.now();
  let reported = 0;
  for (const task of await deps.tasks.dueBy(now)) {
    if (!isNewlyOverdue(task, now)) continue;
    const marked = await deps.tasks.markOverdue(task.id, now.toISOString());
    if (!marked) continue;
    await deps.outbox.send([taskEvent("overdue", marked)]);
    await publishKpi(deps, marked.assignee);
    reported++;
  }
  return reported;
}

/** A manager's KPIs now (tasks and ratings), as `kpi.manager.updated` carries them. */
export async function kpiOf(deps: ProcessesDeps, managerId: string) {
  const [counts, ratings] = await Promise.all([
    deps.tasks.countsOf(managerId),
    deps.ratings.ratingsOf(managerId),
  ]);
  return managerKpi(managerId, counts, ratings);
}

// One KPI computation per manager at a time, so a newer revision never carries older counts.
const kpiChains = new WeakMap<ProcessesDeps, Map<string, Promise<void>>>();

export function publishKpi(deps: ProcessesDeps, managerId: string): Promise<void> {
  let chains = kpiChains.get(deps);
  if (!chains) kpiChains.set(deps, (chains = new Map()));
  const next = (chains.get(managerId) ?? Promise.resolve()).then(async () => {
    const kpi = await kpiOf(deps, managerId);
    const revision = await deps.kpis.nextRevision(managerId);
    await deps.outbox.send([kpiUpdated(kpi, revision, deps.now().toISOString())]);
  });
  chains.set(
    managerId,
    next.catch(() => undefined),
  );
  return next;
}
