import { setMaxListeners } from "node:events";
import type { Logger } from "pino";
import type { KubeClient, ResourceType } from "../kube/kube-client.js";
import { keyOf, type KubeObject } from "../kube/kube-object.js";
import type { OperatorMetrics } from "../metrics/operator-metrics.js";
import { ChildApplier } from "./child-applier.js";
import { Controller } from "./controller.js";
import type { ControllerDefinition } from "./controller-definition.js";
import { EventRecorder } from "./event-recorder.js";
import { Informer } from "./informer.js";
import { controllerKey, managedByLabel, managedByValue } from "./owner-refs.js";
import { describeError } from "./reconcile-error.js";
import { StatusWriter, type HasStatus } from "./status-writer.js";

// Turns controller definitions into running parts: one cache per kind (children cached only
// when they carry the operator's label: memory for ours only), one controller per definition
// with the one error policy, and the watches they declare. Caches run on every replica (a
// standby is ready to take over); controllers run only on the leader.

export interface ManagerOptions {
  /** Watch one namespace, or all when undefined. */
  namespace?: string;
  workers: number;
  /** Who writes Events (the operator's identity). */
  identity: string;
  logger: Logger;
  metrics: OperatorMetrics;
}

interface Running {
  controller: Controller;
  objects: Informer<KubeObject>;
}

export class Manager {
  readonly children: ChildApplier;
  readonly status: StatusWriter;
  private readonly caches = new Map<string, Informer<KubeObject>>();
  private readonly childCaches = new Map<string, Informer<KubeObject>>();
  private readonly controllers: Running[] = [];

  constructor(
    private readonly client: KubeClient,
    private readonly options: ManagerOptions,
  ) {
    const events = new EventRecorder(client, "symbiont-operator", options.identity, options.logger);
    this.status = new StatusWriter(client, events, options.logger);
    this.children = new ChildApplier(client, options.logger);
  }

  /**
   * The cache of the objects of `type` (those `labelSelector` selects, or all), one per type
   * and selector, shared by the controllers.
   */
  cache<T extends KubeObject>(type: ResourceType, labelSelector?: string): Informer<T> {
    return this.cacheIn(this.caches, type, labelSelector) as unknown as Informer<T>;
  }

  add<T extends KubeObject>(definition: ControllerDefinition<T>): Controller {
    const objects = definition.objects as unknown as Informer<HasStatus>;
    const { kind } = objects.type;
    const { logger, metrics, workers } = this.options;
    const controller = new Controller({
      kind,
      logger,
      metrics,
      workers,
      reconcile: (key) => definition.reconcile(key),
      // The one error policy: Ready=False with the reason and a message a person can act on.
      onError: async (key, error) => {
        const object = objects.get(key);
        if (!object) return;
        const { reason, message } = describeError(error);
        await this.status.writeCondition(
          object,
          { type: "Ready", status: "False", reason, message },
          definition.ownedStatus,
        );
      },
    });
    for (const type of definition.owns) {
      this.childCache(type).onChange((child) => controller.enqueue(controllerKey(child, kind)));
    }
    const watchesItself = definition.watches.some((w) => sameType(w.type, objects.type));
    if (!watchesItself) objects.onChange((object) => controller.enqueue(keyOf(object.metadata)));
    for (const watch of definition.watches) {
      watch.subscribe((key) => {
        if (!key) return;
        if (watch.delayMs === undefined) controller.enqueue(key);
        else controller.enqueueAfter(key, watch.delayMs);
      });
    }
    this.controllers.push({ controller, objects: objects as unknown as Informer<KubeObject> });
    return controller;
  }

  /** Runs every cache until `signal` aborts. */
  runCaches(signal: AbortSignal): Promise<void>[] {
    // Every informer's watch request listens to the same stop signal.
    setMaxListeners(64, signal);
    return this.informers().map((i) => i.run(signal));
  }

  synced(): boolean {
    return this.informers().every((i) => i.synced);
  }

  waitForSync(): Promise<unknown> {
    return Promise.all(this.informers().map((i) => i.waitForSync()));
  }

  /** Runs the controllers until `signal` aborts; every object is looked at once on start. */
  async runControllers(signal: AbortSignal): Promise<void> {
    const running = this.controllers.map(({ controller }) => controller.run(signal));
    for (const { controller, objects } of this.controllers) {
      for (const object of objects.list()) controller.enqueue(keyOf(object.metadata));
    }
    await Promise.all(running);
  }

  private childCache(type: ResourceType): Informer<KubeObject> {
    const known = this.childCaches.size;
    const cache = this.cacheIn(this.childCaches, type, `${managedByLabel}=${managedByValue}`);
    if (this.childCaches.size > known) this.children.track(cache);
    return cache;
  }

  private cacheIn(
    caches: Map<string, Informer<KubeObject>>,
    type: ResourceType,
    labelSelector?: string,
  ): Informer<KubeObject> {
    const key = `${typeKey(type)}?${labelSelector ?? ""}`;
    let cache = caches.get(key);
    if (!cache) {
      cache = new Informer<KubeObject>(this.client, type, this.options.logger, {
        namespace: this.options.namespace,
        labelSelector,
      });
      const counted = cache;
      this.options.metrics.cachedObjects.collect(type.kind, () => counted.size);
      caches.set(key, cache);
    }
    return cache;
  }

  private informers(): Informer<KubeObject>[] {
    return [...this.caches.values(), ...this.childCaches.values()];
  }
}

function typeKey(type: ResourceType): string {
  return `${type.apiVersion}/${type.kind}`;
}

function sameType(a: ResourceType, b: ResourceType): boolean {
  return typeKey(a) === typeKey(b);
}
