import { fileURLToPath } from "node:url";
import type { OutgoingEvent, Outbox } from "@symbiont/service-kit";
import { pino } from "pino";
import type { CustomerContact, CustomerStore } from "../data/customer-store.js";
import type { DefinitionStore, StoredDefinition } from "../data/definition-store.js";
import type { Instance, InstanceStore } from "../data/instance-store.js";
import type { KpiStore } from "../data/kpi-store.js";
import type { Rating, RatingStore } from "../data/rating-store.js";
import type { TaskStore } from "../data/task-store.js";
import type { ProcessesDeps, ProcessSettings } from "../domain/processes-deps.js";
import type { Task } from "../domain/task.js";

// The module's stores kept in memory, for tests of the domain and the engine without a
// database (the integration test runs the same flow on FerretDB). They keep the stores'
// contracts: versions, first-writer-wins ids, the newest customer version.

export interface MemoryDeps extends ProcessesDeps {
  /** Every event sent to the outbox, in order. */
  readonly sent: OutgoingEvent[];
  /** Instance id -> the engine state saved last. */
  readonly states: Map<string, string>;
  clock: Date;
}

export const definitionsDir = fileURLToPath(new URL("../../definitions/", import.meta.url));

export const testSettings: ProcessSettings = {
  remindBefore: "PT2H",
  checklistDueAfter: "PT4H",
  approvalDueIn: "P1D",
  approvers: {},
  defaultApprover: "head-of-sales",
  contractsSandbox: "contracts",
  definitionsDir,
};

export function memoryDeps(shared?: MemoryDeps): MemoryDeps {
  if (shared) return { ...shared, now: () => shared.clock };
  const definitions: StoredDefinition[] = [];
  const instances = new Map<string, Instance & { state?: string }>();
  const tasks = new Map<string, Task>();
  const customers = new Map<string, CustomerContact>();
  const revisions = new Map<string, number>();
  const ratings = new Map<string, Rating>();
  const sent: OutgoingEvent[] = [];
  const states = new Map<string, string>();
  let ids = 0;
  const definitionStore: DefinitionStore = {
    ready: async () => undefined,
    latest: async (key) => definitions.filter((d) => d.key === key).at(-1),
    get: async (key, version) => definitions.find((d) => d.key === key && d.version === version),
    list: async () => [...definitions],
    async deploy(definition, now) {
      const newest = definitions.filter((d) => d.key === definition.key).at(-1);
      const sha256 = String(definition.xml.length) + definition.xml.slice(-64);
      if (newest?.sha256 === sha256) return { definition: newest, created: false };
      const stored = {
        ...definition,
        sha256,
        version: (newest?.version ?? 0) + 1,
        deployedAt: now.toISOString(),
      };
      definitions.push(stored);
      return { definition: stored, created: true };
    },
  };
  const instanceStore: InstanceStore = {
    ready: async () => undefined,
    async insert(instance) {
      if (
        [...instances.values()].some((i) => i.businessKey && i.businessKey === instance.businessKey)
      )
        return false;
      instances.set(instance.id, structuredClone(instance));
      return true;
    },
    get: async (id) => copy(instances.get(id)),
    byBusinessKey: async (key) => copy([...instances.values()].find((i) => i.businessKey === key)),
    list: async (filter) =>
      [...instances.values()]
        .filter((i) => !filter.status || i.status === filter.status)
        .map((i) => copy(i)!),
    running: async () =>
      [...instances.values()]
        .filter((i) => i.status === "running")
        .map((i) => ({ instance: copy(i)!, state: i.state })),
    async saveState(id, change, now) {
      const instance = instances.get(id);
      if (!instance) return;
      states.set(id, change.state);
      Object.assign(instance, {
        state: change.state,
        waiting: change.waiting,
        updatedAt: now.toISOString(),
        ...(change.status ? { status: change.status } : {}),
        ...(change.error ? { error: change.error } : {}),
      });
    },
    async receive(id, message, payload) {
      const instance = instances.get(id);
      if (instance && !instance.received.some((m) => m.message === message))
        instance.received.push({ message, payload });
    },
  };
  const taskStore: TaskStore = {
    ready: async () => undefined,
    async insertOnce(task) {
      const existing = tasks.get(task.id);
      if (existing) return { task: { ...existing }, created: false };
      tasks.set(task.id, { ...task });
      return { task, created: true };
    },
    get: async (id) => (tasks.has(id) ? { ...tasks.get(id)! } : undefined),
    list: async (filter) =>
      [...tasks.values()].filter(
        (t) =>
          (!filter.assignee || t.assignee === filter.assignee) &&
          (!filter.status || t.status === filter.status) &&
          (!filter.instanceId || t.instanceId === filter.instanceId),
      ),
    async complete(id, change) {
      const task = tasks.get(id);
      if (!task || task.status !== "open") return undefined;
      Object.assign(task, { status: "completed", ...change });
      return { ...task };
    },
    dueBy: async (now) =>
      [...tasks.values()].filter(
        (t) =>
          t.status === "open" && !t.overdueAt && t.dueAt && Date.parse(t.dueAt) <= now.getTime(),
      ),
    async markOverdue(id, overdueAt) {
      const task = tasks.get(id);
      if (!task || task.overdueAt) return undefined;
      task.overdueAt = overdueAt;
      return { ...task };
    },
    countsOf: async (assignee) => {
      const mine = [...tasks.values()].filter((t) => t.assignee === assignee);
      return {
        done: mine.filter((t) => t.status === "completed").length,
        overdue: mine.filter((t) => t.overdueAt).length,
        open: mine.filter((t) => t.status === "open").length,
      };
    },
  };
  const customerStore: CustomerStore = {
    ready: async () => undefined,
    async upsert(contact) {
      const existing = customers.get(contact.id);
      if (!existing || existing.version <= contact.version) customers.set(contact.id, contact);
    },
    async markMerged(id, survivorId) {
      const existing = customers.get(id);
      customers.set(id, {
        ...(existing ?? { id, version: 0, smsConsent: false }),
        mergedInto: survivorId,
      });
    },
    findByPhone: async (phone) =>
      [...customers.values()]
        .filter((c) => c.phone === phone && !c.mergedInto)
        .sort((a, b) => b.version - a.version)[0],
    async find(id) {
      let current = customers.get(id);
      while (current?.mergedInto) current = customers.get(current.mergedInto);
      return current;
    },
  };
  const kpiStore: KpiStore = {
    ready: async () => undefined,
    async nextRevision(managerId) {
      const next = (revisions.get(managerId) ?? 0) + 1;
      revisions.set(managerId, next);
      return next;
    },
  };
  const ratingStore: RatingStore = {
    ready: async () => undefined,
    async insertOnce(rating) {
      if (ratings.has(rating.instanceId)) return false;
      ratings.set(rating.instanceId, rating);
      return true;
    },
    ratingsOf: async (managerId) =>
      [...ratings.values()].filter((r) => r.managerId === managerId).map((r) => r.rating),
  };
  const outbox: Outbox = {
    async send(events) {
      for (const event of events)
        if (!sent.some((e) => e.id === event.id)) sent.push(structuredClone(event));
    },
    flush: async () => 0,
    startRelay: () => undefined,
    stop: async () => undefined,
    pending: async () => 0,
  };
  const deps: MemoryDeps = {
    definitions: definitionStore,
    instances: instanceStore,
    tasks: taskStore,
    customers: customerStore,
    kpis: kpiStore,
    ratings: ratingStore,
    outbox,
    logger: pino({ level: "silent" }),
    settings: testSettings,
    sent,
    states,
    clock: new Date("2026-12-01T09:00:00.000Z"),
    now: () => deps.clock,
    newId: () => `i-${++ids}`,
  };
  return deps;
}

function copy<T>(value: T | undefined): T | undefined {
  if (!value) return undefined;
  const { state: _state, ...rest } = value as T & { state?: string };
  return structuredClone(rest) as T;
}
