import { describe, expect, it } from "vitest";
import { findRuleViolation, knownPartnerKindRule } from "./check-offer.js";
import { defaultRulebook } from "./default-rulebook.js";
import type { OfferTerms } from "./offer.js";

const cleaning: OfferTerms = {
  title: "Cleaning of common areas",
  description: "",
  category: "building-services",
  unit: "flat-month",
  price: { amount: 450, currency: "RUB" },
  sla: { responseHours: 24, completionHours: 720 },
};
const delivery: OfferTerms = {
  title: "Same-day delivery",
  description: "",
  category: "delivery",
  unit: "delivery",
  price: { amount: 350, currency: "RUB" },
  sla: { responseHours: 1, completionHours: 12 },
};

describe("the rules of the game for an offer", () => {
  it.each([
    [
      "a property manager's cleaning per flat per month",
      "property-management",
      cleaning,
      undefined,
    ],
    ["a courier's delivery", "courier", delivery, undefined],
    [
      "a price on the lower bound",
      "courier",
      { ...delivery, price: { amount: 150, currency: "RUB" } },
      undefined,
    ],
    [
      "repairs by the hour",
      "property-management",
      {
        ...cleaning,
        category: "repairs",
        unit: "hour",
        price: { amount: 1200, currency: "RUB" },
        sla: { responseHours: 8, completionHours: 48 },
      },
      undefined,
    ],
  ])("when it is %s, then it keeps every rule", (_what, kind, terms, expected) => {
    expect(findRuleViolation(terms, kind, defaultRulebook)).toEqual(expected);
  });

  it.each([
    ["a courier sells building services", "courier", cleaning, "courier-may-offer", "category"],
    ["a kind the rulebook does not know", "bakery", delivery, knownPartnerKindRule, "category"],
    [
      "building services sold per visit",
      "property-management",
      { ...cleaning, unit: "visit" },
      "building-services-per-flat-month",
      "unit",
    ],
    [
      "a delivery below the lower bound",
      "courier",
      { ...delivery, price: { amount: 149.99, currency: "RUB" } },
      "delivery-price",
      "price.amount",
    ],
    [
      "cleaning above the upper bound",
      "property-management",
      { ...cleaning, price: { amount: 5000.01, currency: "RUB" } },
      "building-services-price",
      "price.amount",
    ],
    [
      "a delivery priced in euros",
      "courier",
      { ...delivery, price: { amount: 5, currency: "EUR" } },
      "delivery-price",
      "price.currency",
    ],
    [
      "repairs per visit priced like an hour",
      "property-management",
      {
        ...cleaning,
        category: "repairs",
        unit: "visit",
        price: { amount: 300, currency: "RUB" },
        sla: { responseHours: 8, completionHours: 48 },
      },
      "repairs-visit-price",
      "price.amount",
    ],
    [
      "a delivery answered in 3 hours",
      "courier",
      { ...delivery, sla: { responseHours: 3, completionHours: 12 } },
      "delivery-sla",
      "sla.responseHours",
    ],
    [
      "cleaning completed in 32 days",
      "property-management",
      { ...cleaning, sla: { responseHours: 24, completionHours: 768 } },
      "building-services-sla",
      "sla.completionHours",
    ],
  ])("when %s, then it breaks rule %s on %s", (_what, kind, terms, rule, field) => {
    const violation = findRuleViolation(terms, kind, defaultRulebook);
    expect(violation).toMatchObject({ rule, field });
    expect(violation?.message.length).toBeGreaterThan(10);
  });

  it("when the price is out of bounds, then the message gives the price and the bounds", () => {
    const violation = findRuleViolation(
      { ...delivery, price: { amount: 90, currency: "RUB" } },
      "courier",
      defaultRulebook,
    );
    expect(violation?.message).toBe(
      "90.00 RUB per delivery is below the bounds 150.00 RUB to 5000.00 RUB for delivery",
    );
  });
});
