import { describe, expect, it } from "vitest";
import { commissionOf, commissionRuleFor } from "./commission.js";
import { defaultRulebook } from "./default-rulebook.js";
import type { RulebookInput } from "./rulebook.js";

const book: RulebookInput = {
  units: [],
  rules: [
    { name: "base", type: "commission", percent: 10 },
    { name: "couriers", type: "commission", partnerKind: "courier", percent: 12 },
    { name: "deliveries", type: "commission", category: "delivery", percent: 15 },
    {
      name: "courier-deliveries",
      type: "commission",
      category: "delivery",
      partnerKind: "courier",
      percent: 7.5,
    },
  ],
};

describe("commissions", () => {
  it.each([
    ["delivery", "courier", "courier-deliveries"],
    ["delivery", "shop", "deliveries"],
    ["parcel-lockers", "courier", "couriers"],
    ["repairs", "property-management", "base"],
  ])("when a %s order of a %s partner is placed, then rule %s applies", (category, kind, rule) => {
    expect(commissionRuleFor(book, category, kind).name).toBe(rule);
  });

  it.each([
    [35_000, 15, 5_250],
    [10_001, 7.5, 750],
    [10_003, 7.5, 750],
    [10_007, 7.5, 751],
    [99, 10, 10],
    [0, 10, 0],
  ])("when %i minor units pay %d %%, then the commission is %i", (total, percent, expected) => {
    expect(commissionOf(total, percent)).toBe(expected);
  });

  it("when the default rulebook prices building services, then they pay 5 %", () => {
    expect(
      commissionRuleFor(defaultRulebook, "building-services", "property-management"),
    ).toMatchObject({
      name: "building-services-commission",
      percent: 5,
    });
  });
});
