import { shareOf } from "./money.js";
import { rulesOf, type RuleOf, type RulebookInput } from "./rulebook.js";

/**
 * The commission rule for an order: category and partner kind both named, then the
 * category, then the kind, then the default (the rulebook always has one).
 */
export function commissionRuleFor(
  book: RulebookInput,
  category: string,
  partnerKind: string,
): RuleOf<"commission"> {
  const rules = rulesOf(book, "commission");
  const match = (c: string | undefined, k: string | undefined) =>
    rules.find((rule) => rule.category === c && rule.partnerKind === k);
  const rule =
    match(category, partnerKind) ??
    match(category, undefined) ??
    match(undefined, partnerKind) ??
    match(undefined, undefined);
  if (!rule) throw new Error("the rulebook has no default commission rule");
  return rule;
}

/** The marketplace's share of `totalMinor` under `percent`, in minor units. */
export function commissionOf(totalMinor: number, percent: number): number {
  // percent may have decimals (7.5 %): scale to basis points to stay in integers.
  return shareOf(totalMinor, Math.round(percent * 100), 10_000);
}
