import { Ajv, type ValidateFunction } from "ajv";

// JSON Schema validation of payloads (ajv, draft-07 and 2019-09 keywords ajv supports by
// default). Schemas are compiled once, at start: a schema that does not compile stops the
// gateway with the route's name.

export type Validation = { ok: true } | { ok: false; error: string };

export class SchemaValidator {
  readonly #ajv = new Ajv({ allErrors: true, strict: false });
  readonly #compiled = new Map<string, ValidateFunction>();

  add(name: string, schema: Record<string, unknown>): void {
    try {
      this.#compiled.set(name, this.#ajv.compile(schema));
    } catch (error) {
      throw new Error(`route ${name}: schema does not compile: ${(error as Error).message}`);
    }
  }

  has(name: string): boolean {
    return this.#compiled.has(name);
  }

  validate(name: string, payload: unknown): Validation {
    const validate = this.#compiled.get(name);
    if (!validate || validate(payload)) return { ok: true };
    const error = (validate.errors ?? [])
      .slice(0, 10)
      .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
      .join("; ");
    return { ok: false, error: `schema violation: ${error}` };
  }
}
