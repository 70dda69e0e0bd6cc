import { Ajv, type ErrorObject, type Options, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { fullFormats } from "ajv-formats/dist/formats.js";

// One JSON Schema compiler for both sides of a BusRoute: the operator calls a route Ready only
// if its schema compiles here, and the gateway validates payloads with what compiles here, so
// the two can never disagree about a schema. The CRD promises draft 2020-12 and draft-07:
// `$schema` picks the dialect, 2020-12 when it is absent. A keyword the dialect does not know
// is refused rather than ignored (a draft-07 schema with `unevaluatedProperties`, a misspelt
// `requried` would otherwise accept everything), and formats are checked (ajv-formats' set).

export const draft2020 = "https://json-schema.org/draft/2020-12/schema";
export const draft07 = "http://json-schema.org/draft-07/schema#";

export type PayloadCheck = { ok: true } | { ok: false; error: string };
export type CompiledSchema =
  | { ok: true; dialect: "2020-12" | "draft-07"; check(payload: unknown): PayloadCheck }
  | { ok: false; error: string };

const options: Options = {
  allErrors: true,
  strict: false,
  strictSchema: true,
  formats: fullFormats,
  // Compiled schemas are kept by their text below; the instances keep nothing.
  addUsedSchema: false,
};
const dialects = {
  "2020-12": new Ajv2020(options),
  "draft-07": new Ajv(options),
} as const;
type Dialect = keyof typeof dialects;

/** What `$schema` names, without scheme and fragment: the two dialects the CRD promises. */
const dialectOf = new Map<string, Dialect>([
  ["json-schema.org/draft/2020-12/schema", "2020-12"],
  ["json-schema.org/draft-07/schema", "draft-07"],
]);

const compiled = new Map<string, CompiledSchema>();
const maxCached = 1_000;

/** Compiles a schema once per distinct text; a schema that does not compile says why. */
export function compileJsonSchema(schema: unknown): CompiledSchema {
  const text = JSON.stringify(schema);
  const known = compiled.get(text);
  if (known) return known;
  const result = compile(schema);
  if (compiled.size >= maxCached) compiled.clear();
  compiled.set(text, result);
  return result;
}

function compile(schema: unknown): CompiledSchema {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema))
    return { ok: false, error: "a schema must be a JSON object" };
  const { $schema, ...rest } = schema as Record<string, unknown>;
  const dialect = $schema === undefined ? "2020-12" : dialectOf.get(bareUri($schema));
  if (!dialect)
    return {
      ok: false,
      error: `$schema ${JSON.stringify($schema)} is not supported: use ${draft2020} or ${draft07}`,
    };
  const ajv = dialects[dialect];
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(rest);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    ajv.removeSchema(rest);
  }
  return {
    ok: true,
    dialect,
    check: (payload) =>
      validate(payload) ? { ok: true } : { ok: false, error: describe(validate.errors ?? []) },
  };
}

function bareUri(value: unknown): string {
  return typeof value === "string" ? value.replace(/^https?:\/\//, "").replace(/#$/, "") : "";
}

/** The first ten errors, each with where it is and, for an unexpected field, its name. */
function describe(errors: readonly ErrorObject[]): string {
  const lines = errors.slice(0, 10).map((e) => {
    const params = e.params as Record<string, unknown>;
    const field = params.additionalProperty ?? params.unevaluatedProperty;
    return `${e.instancePath || "/"} ${e.message ?? "is invalid"}${field ? ` (${String(field)})` : ""}`;
  });
  return `schema violation: ${lines.join("; ")}`;
}
