import { z } from "zod";

// A task for a person, made when a process reaches a user task and done when its assignee
// completes it. `dueAt` comes from the definition (symbiont:dueDate or symbiont:dueIn); a task
// still open at its due date becomes overdue once (task.overdue), and stays completable.

export const taskStatuses = ["open", "completed"] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const entityIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:@-]{1,128}$/, "letters, digits and _ . : @ -, at most 128");

export interface ChecklistItem {
  item: string;
  done: boolean;
}

export interface Task {
  id: string;
  instanceId: string;
  processKey: string;
  activityId: string;
  name: string;
  assignee: string;
  status: TaskStatus;
  checklist: ChecklistItem[];
  dueAt?: string;
  createdAt: string;
  completedAt?: string;
  completedBy?: string;
  overdueAt?: string;
  /** The customer the process is about, when it is about one. */
  customerId?: string;
}

/** A task's id: one per instance and waiting execution of a user task (stable across restarts). */
export function taskIdOf(instanceId: string, executionId: string): string {
  return `${instanceId}.${executionId}`;
}

/** The checklist items the definition names (`symbiont:checklist="a,b,c"`). */
export function checklistOf(text: string | undefined): ChecklistItem[] {
  return (text ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => ({ item, done: false }));
}

/** True when an open task's due date has passed at `now` and it was not reported yet. */
export function isNewlyOverdue(task: Task, now: Date): boolean {
  return (
    task.status === "open" &&
    task.overdueAt === undefined &&
    task.dueAt !== undefined &&
    Date.parse(task.dueAt) <= now.getTime()
  );
}
