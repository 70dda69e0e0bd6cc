import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors/app-error.js";
import { parseInput } from "./parse-input.js";

const schema = z.strictObject({
  name: z.string().max(5),
  price: z.strictObject({ amount: z.number() }),
});

function failure(value: unknown): AppError {
  try {
    parseInput(schema, value, "body");
  } catch (error) {
    if (error instanceof AppError) return error;
  }
  throw new Error("expected an AppError");
}

describe("parseInput", () => {
  it.each([
    [{ name: "toolong", price: { amount: 1 } }, "body.name"],
    [{ name: "ok", price: { amount: "1" } }, "body.price.amount"],
    [{ name: "ok", price: { amount: 1 }, extra: true }, "body.extra"],
    [{ name: "ok", price: { amount: 1, $where: "1" } }, "body.price.$where"],
    [{ price: { amount: 1 } }, "body.name"],
  ])("when the input is %j, then it is a 400 naming %s", (value, field) => {
    const error = failure(value);
    expect([error.status, error.field]).toEqual([400, field]);
    expect(error.message.startsWith(field)).toBe(true);
  });

  it("when the input is valid, then the parsed value comes back", () => {
    expect(parseInput(schema, { name: "ok", price: { amount: 2 } }, "body")).toEqual({
      name: "ok",
      price: { amount: 2 },
    });
  });
});
