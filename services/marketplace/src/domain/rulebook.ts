import { marketCodeSchema as codeSchema } from "@symbiont/contracts";
import { z } from "zod";
import { amountSchema, currencySchema } from "./money.js";

// The rules of the game, as data (MISSION C6): which categories each kind of partner may
// sell, in which units, within which price bounds, with which SLA, and what the marketplace
// keeps as commission. Every rule has a name chosen by whoever writes the rulebook; an offer
// that breaks a rule is refused with that name. What no rule forbids is allowed, except
// that a partner kind with no `categories` rule may offer nothing.

export { marketCodeSchema as codeSchema } from "@symbiont/contracts";

const ruleName = codeSchema;

const categoriesRule = z.strictObject({
  name: ruleName,
  type: z.literal("categories"),
  /** The partner kind this rule speaks for (property-management, courier, ...). */
  partnerKind: codeSchema,
  categories: z.array(codeSchema).min(1).max(100),
});

const unitsRule = z.strictObject({
  name: ruleName,
  type: z.literal("units"),
  category: codeSchema,
  /** The domain's own units an offer of this category is sold in (flat-month, delivery, ...). */
  units: z.array(codeSchema).min(1).max(20),
});

const priceRule = z.strictObject({
  name: ruleName,
  type: z.literal("price"),
  category: codeSchema,
  /** Only offers in this unit; every unit of the category when absent. */
  unit: codeSchema.optional(),
  currency: currencySchema,
  min: amountSchema,
  max: amountSchema,
});

const slaRule = z.strictObject({
  name: ruleName,
  type: z.literal("sla"),
  category: codeSchema,
  /** An offer must promise to answer an order within this many hours. */
  maxResponseHours: z.number().int().min(1).max(8_760).optional(),
  /** ... and to complete it within this many hours after accepting it. */
  maxCompletionHours: z.number().int().min(1).max(87_600).optional(),
});

const commissionRule = z.strictObject({
  name: ruleName,
  type: z.literal("commission"),
  /** The most specific rule applies: category and kind, then category, then kind, then neither. */
  category: codeSchema.optional(),
  partnerKind: codeSchema.optional(),
  percent: z.number().min(0).max(100),
});

export const ruleSchema = z.discriminatedUnion("type", [
  categoriesRule,
  unitsRule,
  priceRule,
  slaRule,
  commissionRule,
]);
export type Rule = z.output<typeof ruleSchema>;
export type RuleOf<Type extends Rule["type"]> = Extract<Rule, { type: Type }>;

export const unitSchema = z.strictObject({ code: codeSchema, label: z.string().min(1).max(200) });

/** What a client writes: the rules and the units they speak of. */
export const rulebookInputSchema = z
  .strictObject({
    units: z.array(unitSchema).max(200),
    rules: z.array(ruleSchema).min(1).max(1_000),
  })
  .superRefine((book, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const names = new Set<string>();
    const kinds = new Set<string>();
    const units = new Set(book.units.map((unit) => unit.code));
    book.rules.forEach((rule, index) => {
      if (names.has(rule.name)) issue(["rules", index, "name"], `a second rule ${rule.name}`);
      names.add(rule.name);
      if (rule.type === "categories") {
        if (kinds.has(rule.partnerKind))
          issue(
            ["rules", index, "partnerKind"],
            `a second categories rule for ${rule.partnerKind}`,
          );
        kinds.add(rule.partnerKind);
      }
      if (rule.type === "units")
        rule.units.forEach((unit, at) => {
          if (!units.has(unit)) issue(["rules", index, "units", at], `unit ${unit} is not listed`);
        });
      if (rule.type === "price" && rule.min > rule.max)
        issue(["rules", index, "min"], "min is above max");
    });
    if (!book.rules.some((r) => r.type === "commission" && !r.category && !r.partnerKind))
      issue(["rules"], "needs a commission rule without category and partnerKind (the default)");
  });
export type RulebookInput = z.output<typeof rulebookInputSchema>;

export interface Rulebook extends RulebookInput {
  version: number;
  updatedAt: string;
}

export function rulesOf<Type extends Rule["type"]>(
  book: RulebookInput,
  type: Type,
): RuleOf<Type>[] {
  return book.rules.filter((rule): rule is RuleOf<Type> => rule.type === type);
}

/** The partner kinds the rulebook knows (those with a categories rule). */
export function partnerKinds(book: RulebookInput): string[] {
  return rulesOf(book, "categories").map((rule) => rule.partnerKind);
}
