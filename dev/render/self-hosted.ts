import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
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

/**
 * Writes each object to its own file in `folder` (`NN-<kind>-<name>.yaml`): daprd reads only
 * the first document of a file for a Resiliency (`LoadLocalResiliency` in 1.18), so a second
 * one in a shared file would be ignored without a word.
 */
export function writeResourceFiles(folder: string, objects: readonly object[]): void {
  mkdirSync(folder, { recursive: true });
  objects.forEach((object, index) => {
    const { kind, metadata } = object as { kind: string; metadata: { name: string } };
    const file = `${String(index).padStart(3, "0")}-${kind.toLowerCase()}-${metadata.name}.yaml`;
    writeFileSync(join(folder, file), stringify(object));
  });
}
