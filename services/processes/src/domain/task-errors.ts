import { AppError } from "@symbiont/service-kit";
import type { Task } from "./task.js";

export function taskNotFound(id: string): AppError {
  return new AppError({ status: 404, code: "NotFound", message: `task ${id} does not exist` });
}

export function forbiddenTask(caller: string, task: Task): AppError {
  return new AppError({
    status: 403,
    code: "Forbidden",
    message: `task ${task.id} is assigned to ${task.assignee}, not to ${caller}`,
  });
}

/** The task is done already, or the checklist names items the task does not have. */
export function conflictOf(task: Task, unknownItems: string[] = []): AppError {
  if (unknownItems.length > 0)
    return new AppError({
      status: 400,
      code: "InvalidInput",
      field: "body.done",
      message: `body.done: task ${task.id} has no checklist item ${unknownItems.map((i) => `"${i}"`).join(", ")}`,
    });
  return new AppError({
    status: 409,
    code: "TaskNotOpen",
    message: `task ${task.id} is ${task.status} already`,
  });
}
