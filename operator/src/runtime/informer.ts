import { setTimeout as sleep } from "node:timers/promises";
import { backoffDelay } from "@symbiont/contracts";
import type { Logger } from "pino";
import { KubeApiError } from "../kube/api-error.js";
import type { KubeClient, ResourceType, WatchEvent } from "../kube/kube-client.js";
import { keyOf, type KubeObject, type ObjectKey } from "../kube/kube-object.js";

// A list+watch cache of one resource type (client-go's reflector + store), with what
// @kubernetes/client-node's informer lacks: it never stops on an error (it relists after
// 410 Gone and retries anything else with backoff), it resumes watches from the last
// resourceVersion (bookmarks keep that fresh), and it drops managedFields and the
// last-applied annotation before caching (most of an object's memory).

export type ChangeHandler<T> = (object: T, previous: T | undefined, deleted: boolean) => void;
export type IndexFunction<T> = (object: T) => string[];

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  /** Page size of the initial list. */
  pageSize?: number;
}

export class Informer<T extends KubeObject> {
  private readonly store = new Map<ObjectKey, T>();
  private readonly handlers: ChangeHandler<T>[] = [];
  private readonly indexers = new Map<string, IndexFunction<T>>();
  private readonly indexes = new Map<string, Map<string, Set<ObjectKey>>>();
  private resourceVersion = "";
  private syncedFlag = false;
  private readonly syncedPromise: Promise<void>;
  private markSynced!: () => void;

  constructor(
    private readonly client: KubeClient,
    readonly type: ResourceType,
    private readonly logger: Logger,
    private readonly options: InformerOptions = {},
  ) {
    this.syncedPromise = new Promise((resolveSynced) => (this.markSynced = resolveSynced));
  }

  onChange(handler: ChangeHandler<T>): void {
    this.handlers.push(handler);
  }

  /** Maintains a secondary index, e.g. modules by the ecosystem they name. */
  addIndex(name: string, index: IndexFunction<T>): void {
    this.indexers.set(name, index);
    this.indexes.set(name, new Map());
  }

  get(key: ObjectKey): T | undefined {
    return this.store.get(key);
  }

  list(namespace?: string): T[] {
    const all = [...this.store.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  byIndex(name: string, value: string): T[] {
    const keys = this.indexes.get(name)?.get(value);
    if (!keys) return [];
    return [...keys].map((key) => this.store.get(key)).filter((o): o is T => o !== undefined);
  }

  get synced(): boolean {
    return this.syncedFlag;
  }

  waitForSync(): Promise<void> {
    return this.syncedPromise;
  }

  get size(): number {
    return this.store.size;
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!this.resourceVersion) await this.relist();
        this.syncedFlag = true;
        this.markSynced();
        await this.client.watch(
          this.type,
          {
            namespace: this.options.namespace,
            labelSelector: this.options.labelSelector,
            resourceVersion: this.resourceVersion,
            timeoutSeconds: 240 + Math.floor(Math.random() * 120),
          },
          (event) => this.handle(event),
          signal,
        );
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof KubeApiError && error.status === 410) {
          this.logger.info({ kind: this.type.kind }, "watch expired (410 Gone); relisting");
          this.resourceVersion = "";
          continue;
        }
        failures++;
        const delay = backoffDelay(failures + 1, 200, 30_000);
        this.logger.warn(
          { kind: this.type.kind, err: (error as Error).message, retryInMs: delay },
          "list/watch failed; retrying",
        );
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async relist(): Promise<void> {
    const seen = new Set<ObjectKey>();
    let continueToken: string | undefined;
    let resourceVersion = "";
    do {
      const page = await this.client.list<T>(this.type, {
        namespace: this.options.namespace,
        labelSelector: this.options.labelSelector,
        limit: this.options.pageSize ?? 500,
        continue: continueToken,
      });
      for (const item of page.items) {
        const object = slim(item);
        const key = keyOf(object.metadata);
        seen.add(key);
        this.put(key, object);
      }
      continueToken = page.metadata.continue || undefined;
      resourceVersion = page.metadata.resourceVersion ?? "";
    } while (continueToken);
    for (const [key, object] of [...this.store]) {
      if (!seen.has(key)) this.remove(key, object);
    }
    this.resourceVersion = resourceVersion;
  }

  private handle(event: WatchEvent): void {
    const rv = event.object.metadata?.resourceVersion;
    if (event.type === "BOOKMARK") {
      if (rv) this.resourceVersion = rv;
      return;
    }
    const object = slim(event.object as unknown as T);
    const key = keyOf(object.metadata);
    if (event.type === "DELETED") {
      const previous = this.store.get(key);
      this.remove(key, previous ?? object);
    } else {
      this.put(key, object);
    }
    if (rv) this.resourceVersion = rv;
  }

  private put(key: ObjectKey, object: T): void {
    const previous = this.store.get(key);
    if (previous?.metadata.resourceVersion === object.metadata.resourceVersion) return;
    if (previous) this.unindex(key, previous);
    this.store.set(key, object);
    this.index(key, object);
    for (const handler of this.handlers) handler(object, previous, false);
  }

  private remove(key: ObjectKey, object: T): void {
    if (!this.store.has(key)) return;
    this.unindex(key, object);
    this.store.delete(key);
    for (const handler of this.handlers) handler(object, object, true);
  }

  private index(key: ObjectKey, object: T): void {
    for (const [name, indexer] of this.indexers) {
      const index = this.indexes.get(name)!;
      for (const value of indexer(object)) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
  }

  private unindex(key: ObjectKey, object: T): void {
    for (const [name, indexer] of this.indexers) {
      const index = this.indexes.get(name)!;
      for (const value of indexer(object)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}

/** Drops what the operator never reads: managedFields and the client-side apply annotation. */
function slim<T extends KubeObject>(object: T): T {
  delete object.metadata.managedFields;
  const annotations = object.metadata.annotations;
  if (annotations?.["kubectl.kubernetes.io/last-applied-configuration"]) {
    delete annotations["kubectl.kubernetes.io/last-applied-configuration"];
  }
  return object;
}
