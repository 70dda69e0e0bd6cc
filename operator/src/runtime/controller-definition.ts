import type { ResourceType } from "../kube/kube-client.js";
import type { KubeObject, ObjectKey } from "../kube/kube-object.js";
import type { Outcome } from "./controller.js";
import type { Informer } from "./informer.js";
import type { HasStatus } from "./status-writer.js";

// What a controller declares beside its reconcile, as kube-rs' `Controller::new(objects)
// .owns(child).watches(other, mapper)`: the kind it reconciles, the kinds of the children it
// creates, and the other kinds whose changes make it look at some of its objects again.
// The manager turns the declarations into caches and watches; level-triggered, a change only
// says which keys to look at again.

/** A kind whose changes make a controller look again at some of its own objects. */
export interface Watch {
  type: ResourceType;
  /** Look after this long, so a burst of changes collapses into one reconcile. */
  delayMs?: number;
  /** Calls `lookAgain` with the keys to look at whenever an object of `type` changes. */
  subscribe(lookAgain: (key: ObjectKey | undefined) => void): void;
}

/** The status the operator owns, for the error policy's write (default: all of it). */
export type OwnedStatus = (
  status: NonNullable<HasStatus["status"]>,
) => NonNullable<HasStatus["status"]>;

export interface ControllerDefinition<T extends KubeObject = KubeObject> {
  /**
   * The objects reconciled, by key. A change to one looks at it again at once, unless the
   * controller declares its own watch of their kind.
   */
  objects: Informer<T>;
  /** Kinds of the children it creates (controller reference): a child's change looks at its owner. */
  owns: readonly ResourceType[];
  watches: readonly Watch[];
  reconcile(key: ObjectKey): Promise<Outcome>;
  ownedStatus?: OwnedStatus;
}

/**
 * Declares that changes to `source`'s objects make the controller look at the keys `map`
 * returns (`previous` is the object before the change: a reference may have moved).
 */
export function watches<T extends KubeObject>(
  source: Informer<T>,
  map: (object: T, previous: T | undefined) => Iterable<ObjectKey | undefined>,
  options: { delayMs?: number } = {},
): Watch {
  return {
    type: source.type,
    delayMs: options.delayMs,
    subscribe: (lookAgain) =>
      source.onChange((object, previous) => {
        for (const key of map(object, previous)) lookAgain(key);
      }),
  };
}
