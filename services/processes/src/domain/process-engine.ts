import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { notFound } from "@symbiont/service-kit";
import type { StoredDefinition } from "../data/definition-store.js";
import type { Instance } from "../data/instance-store.js";
import { LiveInstance, type Wait } from "../engine/live-instance.js";
import { readDefinition, type DefinitionModel } from "../engine/read-definition.js";
import { engineServiceNames, engineServices } from "./engine-services.js";
import type { ProcessesDeps } from "./processes-deps.js";
import { completeTask, taskForWait } from "./task-service.js";
import type { Task } from "./task.js";

// The module's process engine: definitions deployed as versions, instances started on the
// version that is newest then, run by bpmn-engine in this process and saved whenever it waits,
// so a restart resumes each running instance where it was. Waits are completed from outside:
// a user task by its assignee, a receive task by a message from the bus.

export interface StartRequest {
  definitionKey: string;
  variables: Record<string, unknown>;
  businessKey?: string;
  startedBy: string;
}

export class ProcessEngine {
  private readonly live = new Map<string, LiveInstance>();
  private readonly models = new Map<string, DefinitionModel>();
  /** Waits being prepared (their task made, their kept message looked up), per instance. */
  private readonly preparing = new Map<string, Set<Promise<void>>>();

  constructor(private readonly deps: ProcessesDeps) {}

  /** Checks a BPMN document and stores it as its key's next version (unless unchanged). */
  async deploy(xml: string, deployedBy: string) {
    const model = await readDefinition(xml, engineServiceNames);
    const deployed = await this.deps.definitions.deploy(
      { key: model.key, name: model.name, xml, deployedBy },
      this.deps.now(),
    );
    this.models.set(`${model.key}@${deployed.definition.version}`, model);
    return deployed;
  }

  /** Deploys every `*.bpmn` of the module's definitions folder. */
  async deployFolder(): Promise<StoredDefinition[]> {
    const dir = this.deps.settings.definitionsDir;
    const names = (await readdir(dir)).filter((name) => name.endsWith(".bpmn")).sort();
    const deployed: StoredDefinition[] = [];
    for (const name of names) {
      const { definition } = await this.deploy(await readFile(join(dir, name), "utf8"), "module");
      deployed.push(definition);
    }
    return deployed;
  }

  /** Starts an instance; with a business key that has one already, answers that one. */
  async start(request: StartRequest): Promise<{ instance: Instance; created: boolean }> {
    if (request.businessKey) {
      const existing = await this.deps.instances.byBusinessKey(request.businessKey);
      if (existing) return { instance: existing, created: false };
    }
    const definition = await this.deps.definitions.latest(request.definitionKey);
    if (!definition) throw notFound(`process definition ${request.definitionKey}`);
    const now = this.deps.now().toISOString();
    const id = this.deps.newId();
    const instance: Instance = {
      id,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      // Unique; an instance started without one is its own.
      businessKey: request.businessKey ?? id,
      status: "running",
      variables: request.variables,
      waiting: [],
      received: [],
      startedAt: now,
      startedBy: request.startedBy,
      updatedAt: now,
    };
    if (!(await this.deps.instances.insert(instance))) {
      const raced = await this.deps.instances.byBusinessKey(request.businessKey ?? "");
      if (raced) return { instance: raced, created: false };
      throw new Error(`instance ${instance.id} could not be stored`);
    }
    await this.launch(instance, definition);
    return { instance, created: true };
  }

  /** Resumes every instance that was running when the module stopped; answers how many. */
  async resumeAll(): Promise<number> {
    const running = await this.deps.instances.running();
    for (const { instance, state } of running) {
      const definition = await this.deps.definitions.get(
        instance.definitionKey,
        instance.definitionVersion,
      );
      if (!definition) {
        this.deps.logger.error({ instanceId: instance.id }, "its definition version is gone");
        continue;
      }
      try {
        await this.launch(instance, definition, state);
      } catch (error) {
        // One instance that cannot be resumed must not keep the module (and the others) down.
        this.deps.logger.error({ instanceId: instance.id, err: error }, "could not resume it");
      }
    }
    return running.length;
  }

  /** Completes a task and lets its instance go on. */
  async completeTask(
    taskId: string,
    caller: { name: string; role: "manager" | "admin" },
    done: readonly string[],
  ): Promise<Task> {
    const task = await completeTask(this.deps, taskId, caller, done);
    this.live.get(task.instanceId)?.signal(task.activityId, taskOutput(task));
    return task;
  }

  /** A message for an instance (kept, so a wait that starts later still gets it). */
  async deliver(instanceId: string, message: string, payload: Record<string, unknown>) {
    const instance = await this.deps.instances.get(instanceId);
    if (!instance || instance.status !== "running") return false;
    await this.deps.instances.receive(instanceId, message, payload);
    const live = this.live.get(instanceId);
    const wait = live?.waiting().find((w) => w.activity.message === message);
    if (live && wait) live.signal(wait.activity.id, payload);
    return true;
  }

  /** Waits until the instance saved its steps so far and prepared its waits (tasks exist). */
  async prepared(instanceId: string): Promise<void> {
    await this.live.get(instanceId)?.saved();
    await Promise.all(this.preparing.get(instanceId) ?? []);
  }

  /** Waits until every live instance saved its steps so far (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.live.values()].map((live) => live.saved()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.live.values()].map((live) => live.stop()));
    this.live.clear();
  }

  private async launch(instance: Instance, definition: StoredDefinition, state?: string) {
    const model = await this.modelOf(definition);
    const ref = { id: instance.id, model };
    const live: LiveInstance = new LiveInstance({
      id: instance.id,
      model,
      source: definition.xml,
      services: engineServices(this.deps, ref),
      logger: this.deps.logger,
      onWait: (wait): Promise<void> =>
        this.track(instance.id, this.prepareWait(instance, live, wait)),
      save: (step) => this.deps.instances.saveState(instance.id, step, this.deps.now()),
    });
    this.live.set(instance.id, live);
    void live.finished.then(() => this.live.delete(instance.id));
    if (state) await live.resume(state);
    else await live.start({ ...instance.variables, instanceId: instance.id });
  }

  private track(instanceId: string, preparation: Promise<void>): Promise<void> {
    const pending = this.preparing.get(instanceId) ?? new Set<Promise<void>>();
    this.preparing.set(instanceId, pending);
    pending.add(preparation);
    const forget = () => {
      pending.delete(preparation);
      if (pending.size === 0) this.preparing.delete(instanceId);
    };
    preparation.then(forget, forget);
    return preparation;
  }

  /** A user task gets its task (done already: go on); a receive task its kept message. */
  private async prepareWait(instance: Instance, live: LiveInstance, wait: Wait): Promise<void> {
    const { activity } = wait;
    if (activity.type === "bpmn:UserTask") {
      const customerId = instance.variables.customerId;
      const task = await taskForWait(
        this.deps,
        {
          instanceId: instance.id,
          processKey: instance.definitionKey,
          ...(typeof customerId === "string" ? { customerId } : {}),
        },
        wait,
      );
      if (task.status === "completed") live.signal(activity.id, taskOutput(task));
      return;
    }
    if (activity.type === "bpmn:ReceiveTask" && activity.message) {
      const current = await this.deps.instances.get(instance.id);
      const kept = current?.received.find((m) => m.message === activity.message);
      if (kept) live.signal(activity.id, kept.payload);
    }
  }

  private async modelOf(definition: StoredDefinition): Promise<DefinitionModel> {
    const key = `${definition.key}@${definition.version}`;
    let model = this.models.get(key);
    if (!model) {
      model = await readDefinition(definition.xml, engineServiceNames);
      this.models.set(key, model);
    }
    return model;
  }
}

function taskOutput(task: Task): Record<string, unknown> {
  return { taskId: task.id, completedBy: task.completedBy, checklist: task.checklist };
}
