import { EventEmitter } from "node:events";
import { Engine } from "bpmn-engine";
import type { Logger } from "pino";
import { LongTimers } from "./long-timers.js";
import type { ActivityModel, DefinitionModel } from "./read-definition.js";

// One process instance on the engine (bpmn-engine), in this process. Its state is handed to
// `save` whenever it comes to rest (a timer set, a wait started, the end), one save at a
// time; `recover` rebuilds it from the last saved state, and the engine resumes from there:
// a timer fires at its original time (or at once when that passed), a wait waits again.

/** What the engine calls for a service task: (scope, callback), as bpmn-elements does. */
export type EngineService = (
  scope: ServiceScope,
  callback: (error: Error | null, output?: unknown) => void,
) => void;

export interface ServiceScope {
  id: string;
  content: { executionId: string };
  environment: { variables: Record<string, unknown> };
  resolveExpression: (expression: string) => unknown;
}

/** An activity waiting to be signalled (a user task, a receive task). */
export interface Wait {
  activity: ActivityModel;
  executionId: string;
  /** Evaluates an expression (`${environment.variables.managerId}`) in the instance. */
  resolve(expression: string): unknown;
  signal(output: Record<string, unknown>): void;
}

export interface SavedStep {
  state: string;
  waiting: string[];
  status: "running" | "completed" | "failed";
  error?: string;
}

export interface LiveInstanceOptions {
  id: string;
  model: DefinitionModel;
  source: string;
  services: Record<string, EngineService>;
  logger: Logger;
  onWait(wait: Wait): Promise<void>;
  save(step: SavedStep): Promise<void>;
}

export class LiveInstance {
  private readonly engine: Engine;
  private readonly listener = new EventEmitter();
  private readonly waits = new Map<string, Wait>();
  /** Activities waiting for their timer. */
  private readonly timed = new Set<string>();
  private readonly timers = new LongTimers();
  private saving: Promise<void> = Promise.resolve();
  private ended = false;
  /** Resolves when the instance completed or failed. */
  readonly finished: Promise<SavedStep["status"]>;

  constructor(private readonly options: LiveInstanceOptions) {
    this.engine = new Engine({
      name: options.id,
      source: options.source,
      services: options.services,
      timers: this.timers,
    });
    let finish!: (status: SavedStep["status"]) => void;
    this.finished = new Promise((resolve) => (finish = resolve));
    this.listener.on("activity.wait", (api: WaitApi) => this.waited(api));
    this.listener.on("activity.timer", (api: WaitApi) => {
      this.timed.add(api.id);
      this.step();
    });
    // No save when an activity ends: the next wait (or the end) saves. A step run again after
    // a crash publishes the same event ids, and a completed task or a kept message signals
    // its wait again.
    this.listener.on("activity.end", (api: WaitApi) => {
      this.waits.delete(api.id);
      this.timed.delete(api.id);
    });
    this.engine.once("end", () => {
      this.ended = true;
      this.step("completed").then(
        () => finish("completed"),
        () => finish("completed"),
      );
    });
    this.engine.once("error", (error: Error) => {
      this.ended = true;
      options.logger.error({ instanceId: options.id, err: error }, "process instance failed");
      this.step("failed", error.message).then(
        () => finish("failed"),
        () => finish("failed"),
      );
    });
  }

  get id(): string {
    return this.options.id;
  }

  /** The activities waiting for a signal now (not those waiting for a timer). */
  waiting(): Wait[] {
    return [...this.waits.values()];
  }

  async start(variables: Record<string, unknown>): Promise<void> {
    await this.engine.execute({ listener: this.listener, variables });
    this.step();
  }

  async resume(state: string): Promise<void> {
    this.engine.recover(JSON.parse(state), {
      services: this.options.services,
      timers: this.timers,
    });
    await this.engine.resume({ listener: this.listener });
  }

  /** Signals the waiting activity `activityId`; false when it is not waiting. */
  signal(activityId: string, output: Record<string, unknown>): boolean {
    const wait = this.waits.get(activityId);
    if (!wait) return false;
    wait.signal(output);
    return true;
  }

  /** Waits until every step so far is saved. */
  async saved(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.saving;
      await current;
    } while (current !== this.saving);
  }

  /** Stops the engine (shutdown); the saved state stays for the next start. */
  async stop(): Promise<void> {
    await this.saved();
    if (!this.ended) await this.engine.stop();
  }

  private waited(api: WaitApi): void {
    const activity = this.options.model.activities.get(api.id);
    if (!activity) return;
    const wait: Wait = {
      activity,
      executionId: api.executionId,
      resolve: (expression) => api.resolveExpression(expression),
      signal: (output) => api.signal(output),
    };
    this.waits.set(api.id, wait);
    this.step();
    this.options.onWait(wait).catch((error: unknown) => {
      this.options.logger.error(
        { instanceId: this.id, activityId: api.id, err: error },
        "could not prepare a wait; it is prepared again at the next start",
      );
    });
  }

  /** Saves the engine's state after the current step (one save at a time, in order). */
  private step(status: SavedStep["status"] = "running", error?: string): Promise<void> {
    this.saving = this.saving
      .then(async () => {
        if (status === "running" && this.ended) return;
        const state = JSON.stringify(await this.engine.getState());
        await this.options.save({
          state,
          waiting: [...this.waits.keys(), ...this.timed],
          status,
          ...(error ? { error } : {}),
        });
      })
      .catch((err: unknown) =>
        this.options.logger.error({ instanceId: this.id, err }, "could not save the instance"),
      );
    return this.saving;
  }
}

interface WaitApi {
  id: string;
  executionId: string;
  resolveExpression(expression: string): unknown;
  signal(message?: unknown): void;
}
