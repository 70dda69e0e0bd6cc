import { describe, expect, it } from "vitest";
import { defaultRulebook } from "./default-rulebook.js";
import { rulebookInputSchema, type RulebookInput } from "./rulebook.js";

const withRules = (rules: unknown[]): unknown => ({
  ...defaultRulebook,
  rules: [...defaultRulebook.rules, ...rules],
});

describe("a rulebook", () => {
  it("when it is the default one, then it is valid", () => {
    expect(rulebookInputSchema.safeParse(defaultRulebook).success).toBe(true);
  });

  it.each([
    [
      "two rules share a name",
      withRules([{ name: "delivery-price", type: "commission", percent: 1 }]),
      "rules.15.name",
      "a second rule delivery-price",
    ],
    [
      "a kind gets a second categories rule",
      withRules([
        { name: "x", type: "categories", partnerKind: "courier", categories: ["repairs"] },
      ]),
      "rules.15.partnerKind",
      "a second categories rule for courier",
    ],
    [
      "a units rule names a unit not listed",
      withRules([{ name: "x", type: "units", category: "repairs", units: ["parsec"] }]),
      "rules.15.units.0",
      "unit parsec is not listed",
    ],
    [
      "a price rule's min is above its max",
      withRules([
        { name: "x", type: "price", category: "repairs", currency: "RUB", min: 10, max: 5 },
      ]),
      "rules.15.min",
      "min is above max",
    ],
    [
      "there is no default commission",
      {
        ...defaultRulebook,
        rules: defaultRulebook.rules.filter((r) => r.name !== "default-commission"),
      },
      "rules",
      "needs a commission rule without category and partnerKind (the default)",
    ],
    [
      "a rule has an unknown type",
      withRules([{ name: "x", type: "vibes" }]),
      "rules.15.type",
      undefined,
    ],
  ])("when %s, then it is refused naming where", (_what, book, path, message) => {
    const result = rulebookInputSchema.safeParse(book as RulebookInput);
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path.join(".")).toBe(path);
    if (message) expect(issue.message).toBe(message);
  });
});
