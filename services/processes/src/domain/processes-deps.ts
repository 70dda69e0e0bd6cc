import type { Outbox } from "@symbiont/service-kit";
import type { Logger } from "pino";
import type { CustomerStore } from "../data/customer-store.js";
import type { DefinitionStore } from "../data/definition-store.js";
import type { InstanceStore } from "../data/instance-store.js";
import type { KpiStore } from "../data/kpi-store.js";
import type { RatingStore } from "../data/rating-store.js";
import type { TaskStore } from "../data/task-store.js";

/** Settings of the client-meeting process and the contracts it makes. */
export interface ProcessSettings {
  remindBefore: string;
  checklistDueAfter: string;
  approvalDueIn: string;
  approvers: Record<string, string>;
  defaultApprover: string;
  contractsSandbox: string;
  /** Folder of the definitions and document templates. */
  definitionsDir: string;
}

/** Everything the domain functions need, passed in (tests give their own clock). */
export interface ProcessesDeps {
  definitions: DefinitionStore;
  instances: InstanceStore;
  tasks: TaskStore;
  customers: CustomerStore;
  kpis: KpiStore;
  ratings: RatingStore;
  outbox: Outbox;
  logger: Logger;
  settings: ProcessSettings;
  now: () => Date;
  newId: () => string;
}
