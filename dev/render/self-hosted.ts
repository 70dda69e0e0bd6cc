import type { KubeObject } from "../../operator/src/kube/kube-object.js";

// The operator's Dapr objects as a self-hosted daprd reads them from its resources folder:
// no namespace or labels (daprd matches names, scopes and app-ids only).

export interface DaprObject extends KubeObject {
  scopes?: string[];
  spec?: {
    metadata?: { name: string; value?: string; secretKeyRef?: { name: string; key: string } }[];
  } & Record<string, unknown>;
}

export function selfHosted<T extends KubeObject>(object: T): Record<string, unknown> {
  const { apiVersion, kind, metadata, ...rest } = object as KubeObject & Record<string, unknown>;
  return { apiVersion, kind, metadata: { name: metadata.name }, ...rest };
}

/**
 * A Component whose secretKeyRefs are replaced by the values they name (a Secret's
 * stringData), for a daprd with no secret store; a missing value is an error naming it.
 */
export function withSecretValues(
  component: DaprObject,
  secrets: ReadonlyMap<string, Record<string, string>>,
): DaprObject {
  if (!component.spec?.metadata) return component;
  const metadata = component.spec.metadata.map(({ name, value, secretKeyRef }) => {
    if (!secretKeyRef) return { name, value };
    const resolved = secrets.get(secretKeyRef.name)?.[secretKeyRef.key];
    if (resolved === undefined)
      throw new Error(
        `${component.metadata.name}: ${name} names Secret ${secretKeyRef.name} key ${secretKeyRef.key}, which is not given`,
      );
    return { name, value: resolved };
  });
  return { ...component, spec: { ...component.spec, metadata } };
}
