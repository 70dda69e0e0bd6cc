import type { KubeObject, OwnerReference } from "../kube/kube-object.js";

export const managedByLabel = "app.kubernetes.io/managed-by";
export const managedByValue = "symbiont-operator";

/** The controller reference that makes `owner` own a child (deletion cascades). */
export function controllerReference(owner: KubeObject): OwnerReference {
  if (!owner.metadata.uid) throw new Error(`${owner.kind} ${owner.metadata.name} has no uid yet`);
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The uid of the object's controller, if any. */
export function controllerUid(object: KubeObject): string | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller)?.uid;
}

/** The owner's key when `object` is controlled by a `kind`. */
export function controllerKey(object: KubeObject, kind: string): string | undefined {
  const ref = object.metadata.ownerReferences?.find((r) => r.controller && r.kind === kind);
  if (!ref) return undefined;
  return object.metadata.namespace ? `${object.metadata.namespace}/${ref.name}` : ref.name;
}

/** A copy of `child` owned by `owner` and labelled as managed by the operator. */
export function adopt<T extends KubeObject>(child: T, owner: KubeObject): T {
  return {
    ...child,
    metadata: {
      ...child.metadata,
      namespace: child.metadata.namespace ?? owner.metadata.namespace,
      labels: { ...child.metadata.labels, [managedByLabel]: managedByValue },
      ownerReferences: [controllerReference(owner)],
    },
  };
}
