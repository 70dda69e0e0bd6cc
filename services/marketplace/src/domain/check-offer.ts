import { formatMoney, toMinor } from "./money.js";
import type { OfferTerms } from "./offer.js";
import type { RuleViolation } from "./rule-violation.js";
import { rulesOf, type RulebookInput } from "./rulebook.js";

/** The built-in rule: a partner kind the rulebook has no categories rule for may offer nothing. */
export const knownPartnerKindRule = "known-partner-kind";

/**
 * The first rule of the rulebook the offer breaks for a partner of `partnerKind`, or
 * undefined when it keeps them all. Checked in a fixed order: what the kind may sell, the
 * unit, the price, the SLA.
 */
export function findRuleViolation(
  terms: OfferTerms,
  partnerKind: string,
  book: RulebookInput,
): RuleViolation | undefined {
  const categories = rulesOf(book, "categories").find((r) => r.partnerKind === partnerKind);
  if (!categories)
    return {
      rule: knownPartnerKindRule,
      type: "categories",
      field: "category",
      message: `the rulebook lets partners of kind ${partnerKind} offer nothing`,
    };
  if (!categories.categories.includes(terms.category))
    return {
      rule: categories.name,
      type: "categories",
      field: "category",
      message: `partners of kind ${partnerKind} may offer ${categories.categories.join(", ")}, not ${terms.category}`,
    };
  for (const rule of rulesOf(book, "units").filter((r) => r.category === terms.category)) {
    if (!rule.units.includes(terms.unit))
      return {
        rule: rule.name,
        type: "units",
        field: "unit",
        message: `${terms.category} is sold per ${rule.units.join(", ")}, not per ${terms.unit}`,
      };
  }
  const priceRules = rulesOf(book, "price").filter(
    (r) => r.category === terms.category && (r.unit === undefined || r.unit === terms.unit),
  );
  for (const rule of priceRules) {
    const price = toMinor(terms.price.amount);
    const [min, max] = [toMinor(rule.min), toMinor(rule.max)];
    if (terms.price.currency !== rule.currency)
      return {
        rule: rule.name,
        type: "price",
        field: "price.currency",
        message: `${terms.category} is priced in ${rule.currency}, not ${terms.price.currency}`,
      };
    if (price < min || price > max)
      return {
        rule: rule.name,
        type: "price",
        field: "price.amount",
        message: `${formatMoney(price, rule.currency)} per ${terms.unit} is ${price < min ? "below" : "above"} the bounds ${formatMoney(min, rule.currency)} to ${formatMoney(max, rule.currency)} for ${terms.category}`,
      };
  }
  for (const rule of rulesOf(book, "sla").filter((r) => r.category === terms.category)) {
    if (rule.maxResponseHours !== undefined && terms.sla.responseHours > rule.maxResponseHours)
      return {
        rule: rule.name,
        type: "sla",
        field: "sla.responseHours",
        message: `${terms.category} must answer an order within ${rule.maxResponseHours} h, the offer promises ${terms.sla.responseHours} h`,
      };
    if (
      rule.maxCompletionHours !== undefined &&
      terms.sla.completionHours > rule.maxCompletionHours
    )
      return {
        rule: rule.name,
        type: "sla",
        field: "sla.completionHours",
        message: `${terms.category} must be completed within ${rule.maxCompletionHours} h, the offer promises ${terms.sla.completionHours} h`,
      };
  }
  return undefined;
}
