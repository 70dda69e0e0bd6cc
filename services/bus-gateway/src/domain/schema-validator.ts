import { compileJsonSchema, type PayloadCheck } from "@symbiont/contracts";

// Payloads checked against each route's JSON Schema, compiled once at start by the compiler
// the operator uses to call a route Ready (@symbiont/contracts). A route whose schema does
// not compile anyway (a file from another operator version, or written by hand) is skipped,
// never fatal: it carries nothing (each of its messages becomes a dead letter with the
// compiler's message, replayable once the route is fixed) and every other route is served.

export type Validation = PayloadCheck;

export class SchemaValidator {
  readonly #checks = new Map<string, (payload: unknown) => Validation>();
  readonly #skipped = new Map<string, string>();

  /** Compiles a route's schema; the compiler's message when it does not compile. */
  add(name: string, schema: Record<string, unknown>): string | undefined {
    const compiled = compileJsonSchema(schema);
    if (compiled.ok) {
      this.#checks.set(name, compiled.check);
      return undefined;
    }
    const error = `route ${name} is skipped: its schema does not compile: ${compiled.error}`;
    this.#skipped.set(name, compiled.error);
    this.#checks.set(name, () => ({ ok: false, error }));
    return compiled.error;
  }

  /** Routes whose schema did not compile, with the compiler's message. */
  get skipped(): ReadonlyMap<string, string> {
    return this.#skipped;
  }

  validate(name: string, payload: unknown): Validation {
    return this.#checks.get(name)?.(payload) ?? { ok: true };
  }
}
