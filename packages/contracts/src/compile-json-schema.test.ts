import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileJsonSchema, draft07, draft2020 } from "./compile-json-schema.js";

const closedCustomer = {
  type: "object",
  allOf: [{ properties: { id: { type: "string" } }, required: ["id"] }],
  unevaluatedProperties: false,
};

const check = (schema: unknown, payload: unknown) => {
  const compiled = compileJsonSchema(schema);
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.check(payload);
};

describe("compileJsonSchema", () => {
  it.each([
    {
      what: "2020-12 named",
      schema: { $schema: draft2020, ...closedCustomer },
      dialect: "2020-12",
    },
    { what: "no $schema (2020-12)", schema: closedCustomer, dialect: "2020-12" },
    {
      what: "draft-07 named",
      schema: { $schema: draft07, type: "object", definitions: { id: { type: "string" } } },
      dialect: "draft-07",
    },
    {
      what: "draft-07 without the fragment",
      schema: { $schema: "http://json-schema.org/draft-07/schema", type: "object" },
      dialect: "draft-07",
    },
    {
      what: "2020-12 with a trailing fragment",
      schema: { $schema: `${draft2020}#`, type: "object" },
      dialect: "2020-12",
    },
  ])("when a schema is $what, then it compiles as $dialect", ({ schema, dialect }) => {
    expect(compileJsonSchema(schema)).toMatchObject({ ok: true, dialect });
  });

  it.each([
    {
      what: "a 2019-09 schema",
      schema: { $schema: "https://json-schema.org/draft/2019-09/schema", type: "object" },
      error: /is not supported: use https:\/\/json-schema\.org\/draft\/2020-12\/schema or/,
    },
    {
      what: "a $schema that is no URI",
      schema: { $schema: "constructor", type: "object" },
      error: /\$schema "constructor" is not supported/,
    },
    { what: "an unknown type", schema: { type: "objekt" }, error: /type must be equal to one of/ },
    {
      what: "a misspelt keyword",
      schema: { type: "object", requried: ["id"] },
      error: /unknown keyword: "requried"/,
    },
    {
      what: "a 2020-12 keyword in a draft-07 schema",
      schema: { $schema: draft07, ...closedCustomer },
      error: /unknown keyword: "unevaluatedProperties"/,
    },
    { what: "an unknown format", schema: { type: "string", format: "colour" }, error: /colour/ },
    { what: "not an object", schema: [{ type: "string" }], error: /must be a JSON object/ },
    {
      what: "a reference that cannot be resolved",
      schema: { $ref: "https://schemas.example.com/customer.json" },
      error: /can't resolve reference/,
    },
  ])("when a schema is $what, then it is refused with the reason", ({ schema, error }) => {
    const compiled = compileJsonSchema(schema);
    expect(compiled.ok).toBe(false);
    expect(!compiled.ok && compiled.error).toMatch(error);
  });

  it.each([
    { payload: { id: "c1" }, ok: true },
    { payload: { id: "c1", email: "a@example.com" }, ok: false },
    { payload: {}, ok: false },
  ])(
    "when a 2020-12 schema closes the object with unevaluatedProperties, then $payload passes: $ok",
    ({ payload, ok }) => {
      expect(check({ $schema: draft2020, ...closedCustomer }, payload).ok).toBe(ok);
    },
  );

  it("when a payload breaks the schema, then the error says where and names an unexpected field", () => {
    expect(check({ $schema: draft2020, ...closedCustomer }, { id: 1, email: "x" })).toEqual({
      ok: false,
      error: "schema violation: /id must be string; / must NOT have unevaluated properties (email)",
    });
    expect(
      check(
        { type: "object", properties: { to: { type: "string", format: "email" } } },
        {
          to: "not-an-address",
        },
      ),
    ).toEqual({ ok: false, error: 'schema violation: /to must match format "email"' });
  });

  it("when two schemas carry the same $id, then each compiles and keeps its own rules", () => {
    const a = { $id: "https://symbiont.dev/x", type: "object", required: ["a"] };
    const b = { $id: "https://symbiont.dev/x", type: "object", required: ["b"] };
    expect(check(a, { a: 1 }).ok).toBe(true);
    expect(check(b, { a: 1 }).ok).toBe(false);
    expect(check(a, { a: 1 }).ok).toBe(true);
  });

  it("when a zod schema is exported as JSON Schema, then it compiles and checks the same payloads", () => {
    const login = z.strictObject({
      sessionId: z.uuid(),
      email: z.email().optional(),
      name: z.string().regex(/^[\p{L} .'-]*$/u),
      loggedInAt: z.iso.datetime(),
    });
    const schema = z.toJSONSchema(login);
    const good = {
      sessionId: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
      name: "Мария",
      loggedInAt: "2026-01-01T10:00:00Z",
    };
    expect(check(schema, good)).toEqual({ ok: true });
    expect(check(schema, { ...good, email: "nope" }).ok).toBe(false);
    expect(check(schema, { ...good, extra: 1 }).ok).toBe(false);
  });
});
