import type { OutgoingEvent } from "@symbiont/service-kit";
import { z } from "zod";
import type { ManagerKpi } from "../domain/kpi.js";
import type { Task } from "../domain/task.js";

// The topics the processes module publishes on the internal bus and their payloads
// (docs/module-contract.md, "processes"). Event ids are stable per fact, so a step the engine
// runs again after a restart publishes the same id (recognised downstream as a repeat).

export const taskCreatedTopic = "task.created";
export const taskCompletedTopic = "task.completed";
export const taskOverdueTopic = "task.overdue";
export const kpiUpdatedTopic = "kpi.manager.updated";
export const smsTopic = "notification.sms";
export const messengerTopic = "notification.messenger";
export const documentGeneratedTopic = "document.generated";
export const signingRequestedTopic = "contract.signing.requested";

const time = z.iso.datetime({ offset: true });

export const taskEventSchema = z.object({
  task: z.object({
    id: z.string(),
    instanceId: z.string(),
    processKey: z.string(),
    activityId: z.string(),
    name: z.string(),
    assignee: z.string(),
    status: z.enum(["open", "completed"]),
    checklist: z.array(z.object({ item: z.string(), done: z.boolean() })),
    dueAt: time.optional(),
    createdAt: time,
    completedAt: time.optional(),
    completedBy: z.string().optional(),
    overdueAt: time.optional(),
    customerId: z.string().optional(),
  }),
});
export type TaskEvent = z.infer<typeof taskEventSchema>;

export const kpiUpdatedSchema = z.object({
  managerId: z.string(),
  tasks: z.object({ done: z.number().int(), overdue: z.number().int(), open: z.number().int() }),
  ratings: z.object({ count: z.number().int(), average: z.number().nullable() }),
  revision: z.number().int().min(1),
  updatedAt: time,
});
export type KpiUpdated = z.infer<typeof kpiUpdatedSchema>;

/** An SMS for the SMS partner (route `sms-out` exports it through the gateway). */
export const smsSchema = z.object({
  messageId: z.string(),
  to: z.string(),
  text: z.string().max(1000),
  customerId: z.string(),
  instanceId: z.string(),
  purpose: z.string(),
});
export type Sms = z.infer<typeof smsSchema>;

/** A message for the messenger partner (route `messenger-out`): the same fields as an SMS. */
export const messengerMessageSchema = smsSchema;
export type MessengerMessage = Sms;

/** A contract for the e-signature partner (route `signing-out`, signed). */
export const signingRequestedSchema = z.object({
  contractId: z.string(),
  instanceId: z.string(),
  customerId: z.string(),
  title: z.string(),
  document: z.object({
    fileId: z.string(),
    sandbox: z.string(),
    path: z.string(),
    version: z.number().int(),
    sha256: z.string(),
  }),
  approvedBy: z.string(),
  requestedAt: time,
});
export type SigningRequested = z.infer<typeof signingRequestedSchema>;

type TaskChange = "created" | "completed" | "overdue";
const taskTopics: Record<TaskChange, string> = {
  created: taskCreatedTopic,
  completed: taskCompletedTopic,
  overdue: taskOverdueTopic,
};

export function taskEvent(change: TaskChange, task: Task): OutgoingEvent<TaskEvent> {
  const topic = taskTopics[change];
  return { id: `${topic}:${task.id}`, topic, data: { task: { ...task } } };
}

export function kpiUpdated(
  kpi: ManagerKpi,
  revision: number,
  updatedAt: string,
): OutgoingEvent<KpiUpdated> {
  return {
    id: `${kpiUpdatedTopic}:${kpi.managerId}:${revision}`,
    topic: kpiUpdatedTopic,
    data: { ...kpi, revision, updatedAt },
  };
}
