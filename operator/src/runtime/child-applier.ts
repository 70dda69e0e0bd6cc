import type { Logger } from "pino";
import { KubeApiError } from "../kube/api-error.js";
import type { KubeClient, ResourceType } from "../kube/kube-client.js";
import { keyOf, refOf, type KubeObject } from "../kube/kube-object.js";
import type { Informer } from "./informer.js";
import { adopt, controllerUid } from "./owner-refs.js";
import { ReconcileError } from "./reconcile-error.js";
import { isSubset } from "./subset-equal.js";

// Makes an owner's children what the desired state says, writing only what differs:
// - a child that already matches (per the informer cache) is not written at all;
// - a child of ours that drifted is re-applied with force (server-side apply takes back the
//   fields someone else changed);
// - a child we never owned is applied without force: if someone else's object holds the
//   name, the API server reports the conflict instead of us taking it over;
// - a child of ours that is no longer desired is deleted (uid precondition).

export const fieldManager = "symbiont-operator";

export interface ChildrenResult {
  /** The children as they are now (from the cache when unchanged, else as applied). */
  objects: KubeObject[];
  applied: number;
  pruned: number;
}

export class ChildApplier {
  private readonly caches = new Map<string, Informer<KubeObject>>();
  /** Objects createOnce() has seen exist (owner uid / kind / namespace / name). */
  private readonly created = new Set<string>();

  constructor(
    private readonly client: KubeClient,
    private readonly logger: Logger,
  ) {}

  /** Registers the label-filtered cache of one child type. */
  track(informer: Informer<KubeObject>): void {
    this.caches.set(typeKey(informer.type), informer);
  }

  async reconcile(
    owner: KubeObject,
    desired: KubeObject[],
    childTypes: ResourceType[],
  ): Promise<ChildrenResult> {
    const result: ChildrenResult = { objects: [], applied: 0, pruned: 0 };
    const wanted = new Set<string>();
    // Children are independent objects: apply those that differ concurrently.
    const applied = await Promise.all(
      desired.map(async (child) => {
        const object = adopt(child, owner);
        wanted.add(`${typeKey(object)}/${keyOf(object.metadata)}`);
        const cached = this.caches.get(typeKey(object))?.get(keyOf(object.metadata));
        const ours = cached !== undefined && controllerUid(cached) === owner.metadata.uid;
        if (ours && isSubset(object, cached)) return { object: cached, written: false };
        return { object: await this.apply(object, ours), written: true };
      }),
    );
    for (const { object, written } of applied) {
      result.objects.push(object);
      if (written) result.applied++;
    }
    for (const type of childTypes) {
      const cache = this.caches.get(typeKey(type));
      if (!cache) throw new Error(`no cache registered for ${type.kind}`);
      for (const child of cache.list(owner.metadata.namespace)) {
        if (controllerUid(child) !== owner.metadata.uid) continue;
        if (wanted.has(`${typeKey(child)}/${keyOf(child.metadata)}`)) continue;
        this.logger.info(
          {
            kind: owner.kind,
            namespace: owner.metadata.namespace,
            name: owner.metadata.name,
            child: `${child.kind}/${child.metadata.name}`,
          },
          "pruning a child that is no longer desired",
        );
        await this.client.delete(refOf(child), { uid: child.metadata.uid });
        result.pruned++;
      }
    }
    return result;
  }

  /**
   * Creates an owned child that must never be rewritten once it exists (a generated
   * credential): only `create` is used, so the operator needs no right to read or update it.
   * An object already there (ours from an earlier reconcile, or one a person created under
   * that name to bring their own value) is left as it is.
   */
  async createOnce(owner: KubeObject, child: KubeObject): Promise<void> {
    const object = adopt(child, owner);
    const key = `${owner.metadata.uid}/${typeKey(object)}/${keyOf(object.metadata)}`;
    if (this.created.has(key)) return;
    try {
      await this.client.create(object, fieldManager);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.isConflict)) throw error;
    }
    this.created.add(key);
  }

  private async apply(object: KubeObject, ours: boolean): Promise<KubeObject> {
    try {
      return await this.client.apply(object, { fieldManager, force: ours });
    } catch (error) {
      if (error instanceof KubeApiError && error.isConflict && !ours) {
        throw new ReconcileError(
          "NameConflict",
          `${object.kind} ${object.metadata.name} already exists and is managed by someone else (${error.message}); rename this object or delete that ${object.kind}`,
        );
      }
      if (error instanceof KubeApiError && error.status === 422) {
        throw new ReconcileError(
          "InvalidChild",
          `the API server refused ${object.kind} ${object.metadata.name}: ${error.message}`,
          true,
        );
      }
      throw error;
    }
  }
}

function typeKey(type: ResourceType): string {
  return `${type.apiVersion}/${type.kind}`;
}
