import { describe, expect, it } from "vitest";
import { SchemaValidator } from "./schema-validator.js";

describe("the gateway's schema validator", () => {
  const validator = new SchemaValidator();
  const closed = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: { id: { type: "string" } },
    required: ["id"],
    unevaluatedProperties: false,
  };
  const broken = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    unevaluatedProperties: false,
  };
  const closedProblem = validator.add("customers-out", closed);
  const brokenProblem = validator.add("orders-out", broken);

  it("when a route's schema is 2020-12, then it compiles and its keywords apply", () => {
    expect(closedProblem).toBeUndefined();
    expect(validator.validate("customers-out", { id: "c1" })).toEqual({ ok: true });
    expect(validator.validate("customers-out", { id: "c1", email: "a@b.c" })).toEqual({
      ok: false,
      error: "schema violation: / must NOT have unevaluated properties (email)",
    });
  });

  it("when a route's schema does not compile, then that route is skipped with the compiler's message and every message on it is refused, while the others are served", () => {
    expect(brokenProblem).toMatch(/unknown keyword: "unevaluatedProperties"/);
    expect(validator.skipped).toEqual(new Map([["orders-out", brokenProblem]]));
    const answer = validator.validate("orders-out", { anything: true });
    expect(answer).toEqual({
      ok: false,
      error: `route orders-out is skipped: its schema does not compile: ${brokenProblem}`,
    });
    expect(validator.validate("customers-out", { id: "c2" })).toEqual({ ok: true });
    // A route without a schema takes any payload.
    expect(validator.validate("touchpoints-in", { free: "form" })).toEqual({ ok: true });
  });
});
