import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { repoRoot } from "../harness/tool-paths.js";

// A custom resource as the API server stores it: the `default`s of its CRD's schema applied
// (Kubernetes structural defaulting: an absent field with a default gets it, then defaulting
// goes on inside it; nothing present is changed). What renders the operator's objects without
// an API server (components/, the test stacks) must see what the operator sees in a cluster.

interface Schema {
  type?: string;
  default?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
}

interface Crd {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; schema: { openAPIV3Schema: Schema } }[];
  };
}

let schemas: Map<string, Schema> | undefined;

/** apiVersion/kind -> the CRD's schema, for every CRD in crds/. */
function crdSchemas(): Map<string, Schema> {
  if (schemas) return schemas;
  schemas = new Map();
  const dir = join(repoRoot, "crds");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    const crd = parse(readFileSync(join(dir, file), "utf8")) as Crd;
    for (const version of crd.spec.versions)
      schemas.set(
        `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`,
        version.schema.openAPIV3Schema,
      );
  }
  return schemas;
}

/**
 * A copy of `object` (a custom resource as written, leaving out what has defaults) as the API
 * server would store it: T, with its CRD's defaults applied. Other kinds are copied unchanged.
 */
export function withCrdDefaults<T extends KubeObject>(object: KubeObject & { spec?: unknown }): T {
  const schema = crdSchemas().get(`${object.apiVersion}/${object.kind}`);
  const copy = structuredClone(object);
  return (schema ? applyDefaults(copy, schema) : copy) as T;
}

function applyDefaults(value: unknown, schema: Schema): unknown {
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => (value[i] = applyDefaults(item, schema.items!)));
    return value;
  }
  if (typeof value !== "object" || value === null) return value;
  const object = value as Record<string, unknown>;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (object[name] === undefined && property.default !== undefined)
      object[name] = structuredClone(property.default);
    if (object[name] !== undefined) object[name] = applyDefaults(object[name], property);
  }
  if (typeof schema.additionalProperties === "object") {
    const known = new Set(Object.keys(schema.properties ?? {}));
    for (const name of Object.keys(object).filter((n) => !known.has(n)))
      object[name] = applyDefaults(object[name], schema.additionalProperties);
  }
  return object;
}
