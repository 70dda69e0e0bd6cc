import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile, type JSONSchema } from "json-schema-to-typescript";
import { parse } from "yaml";

// crds/ is the single source of the API: this script turns each CRD's storage-version schema
// into operator/src/api/<kind>.types.ts. The types describe objects as the API server returns
// them, so a field with a schema default is required (it is always there after defaulting).
// `make generate` writes the files; a unit test fails when they are stale.

const root = join(import.meta.dirname, "..");
const crdDir = join(root, "crds");
const apiDir = join(root, "operator", "src", "api");

interface CrdSchema {
  [key: string]: unknown;
  type?: string;
  properties?: Record<string, CrdSchema>;
  items?: CrdSchema;
  additionalProperties?: CrdSchema | boolean;
  required?: string[];
  default?: unknown;
  title?: string;
}

interface Crd {
  spec: {
    names: { kind: string };
    versions: { name: string; storage: boolean; schema: { openAPIV3Schema: CrdSchema } }[];
  };
}

/** Named types for nested objects (by path under the kind), so code can refer to them. */
const namedTypes: Record<string, Record<string, string>> = {
  Ecosystem: {
    spec: "EcosystemSpec",
    "spec.internalBus": "BusSpec",
    "spec.corporateBus": "BusSpec",
    "spec.delivery": "DeliveryPolicy",
    "spec.gateway": "GatewaySpec",
    "spec.gateway.resources": "ResourceRequirements",
    "spec.gateway.ledger": "StorageSpec",
    "spec.security": "SecuritySpec",
    status: "EcosystemStatus",
    "status.conditions[]": "Condition",
  },
  EcosystemModule: {
    spec: "EcosystemModuleSpec",
    "spec.env[]": "EnvVar",
    "spec.resources": "ResourceRequirements",
    "spec.publishes[]": "PublishedTopic",
    "spec.subscribes[]": "SubscribedTopic",
    "spec.storage": "StorageSpec",
    status: "EcosystemModuleStatus",
    "status.conditions[]": "Condition",
  },
  PartnerIntegration: {
    spec: "PartnerIntegrationSpec",
    "spec.auth": "PartnerAuth",
    "spec.delivery": "DeliveryOverrides",
    status: "PartnerIntegrationStatus",
    "status.delivery": "DeliveryCounts",
    "status.conditions[]": "Condition",
  },
  BusRoute: {
    spec: "BusRouteSpec",
    "spec.redact[]": "Redaction",
    status: "BusRouteStatus",
    "status.conditions[]": "Condition",
  },
};

/**
 * Converts a structural schema to plain JSON Schema, naming and tightening as described
 * above. A named object goes to `definitions` once and is referenced from every place it
 * appears (both buses share BusSpec).
 */
function toJsonSchema(
  schema: CrdSchema,
  path: string,
  names: Record<string, string>,
  definitions: Record<string, CrdSchema>,
): CrdSchema {
  const name = names[path];
  if (name && path) {
    if (!definitions[name]) definitions[name] = convert(schema, path, names, definitions);
    return { $ref: `#/definitions/${name}` };
  }
  return convert(schema, path, names, definitions);
}

function convert(
  schema: CrdSchema,
  path: string,
  names: Record<string, string>,
  definitions: Record<string, CrdSchema>,
): CrdSchema {
  const out: CrdSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith("x-kubernetes-") || key === "properties" || key === "items") continue;
    if (key === "additionalProperties" && typeof value === "object") {
      out.additionalProperties = toJsonSchema(value as CrdSchema, `${path}{}`, names, definitions);
      continue;
    }
    out[key] = value;
  }
  if (schema["x-kubernetes-int-or-string"]) {
    delete out.pattern;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
    delete out.type;
  }
  if (names[path]) out.title = names[path];
  if (schema.items) out.items = toJsonSchema(schema.items, `${path}[]`, names, definitions);
  if (schema.properties) {
    const properties: Record<string, CrdSchema> = {};
    const required = new Set(schema.required ?? []);
    for (const [name, property] of Object.entries(schema.properties)) {
      properties[name] = toJsonSchema(
        property,
        path ? `${path}.${name}` : name,
        names,
        definitions,
      );
      if (property.default !== undefined) required.add(name);
    }
    out.properties = properties;
    out.required = [...required];
    if (schema.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (schema["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = true;
  return out;
}

export async function generateTypes(crd: Crd): Promise<{ file: string; source: string }> {
  const kind = crd.spec.names.kind;
  const version = crd.spec.versions.find((v) => v.storage);
  if (!version) throw new Error(`${kind}: no storage version`);
  const schema = structuredClone(version.schema.openAPIV3Schema);
  // apiVersion, kind and metadata come from kube-object.ts.
  delete schema.properties?.apiVersion;
  delete schema.properties?.kind;
  delete schema.properties?.metadata;
  const definitions: Record<string, CrdSchema> = {};
  const json = toJsonSchema(schema, "", namedTypes[kind] ?? {}, definitions);
  json.title = `${kind}Body`;
  json.definitions = definitions;
  const body = await compile(json as JSONSchema, `${kind}Body`, {
    bannerComment: "",
    additionalProperties: false,
    strictIndexSignatures: true,
    ignoreMinAndMaxItems: true,
    format: true,
    style: { printWidth: 100 },
  });
  const source = [
    `// Generated from crds/${fileOf(kind)} by scripts/generate-types.ts (make generate). Do not edit.`,
    "",
    `import type { KubeObject } from "../kube/kube-object.js";`,
    "",
    body.trim(),
    "",
    `export interface ${kind} extends KubeObject, ${kind}Body {`,
    `  apiVersion: "symbiont.dev/${version.name}";`,
    `  kind: "${kind}";`,
    "}",
    "",
  ].join("\n");
  return { file: join(apiDir, `${kebab(kind)}.types.ts`), source };
}

function kebab(kind: string): string {
  return kind.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

function fileOf(kind: string): string {
  return readdirSync(crdDir).find((file) => readCrd(file).spec.names.kind === kind) ?? "";
}

function readCrd(file: string): Crd {
  return parse(readFileSync(join(crdDir, file), "utf8")) as Crd;
}

export async function generateAll(): Promise<{ file: string; source: string }[]> {
  const files = readdirSync(crdDir).filter((file) => file.endsWith(".yaml"));
  return Promise.all(files.map((file) => generateTypes(readCrd(file))));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  for (const { file, source } of await generateAll()) {
    writeFileSync(file, source);
    console.log(`wrote ${file}`);
  }
}
