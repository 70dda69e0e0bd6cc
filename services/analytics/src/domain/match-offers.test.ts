import { describe, expect, it } from "vitest";
import type { CustomerView } from "./customer-view.js";
import { matchOffers } from "./match-offers.js";
import { defaultOfferRules, offerRulesSchema } from "./offer-rule.js";
import { parseInput } from "@symbiont/service-kit";

const now = Date.parse("2026-12-01T00:00:00Z");
const daysAgo = (days: number) => now - days * 86_400_000;

function person(interests: string[], purchases: Array<[string, number]>): CustomerView {
  return {
    customerId: "c1",
    profile: {
      kind: "profile",
      profileId: "c1",
      version: 1,
      status: "active",
      keys: [],
      interests: [],
      consent: { email: true, sms: true },
      at: 0,
    },
    interests: new Set(interests),
    purchases: new Map(purchases.map(([category, days]) => [category, daysAgo(days)])),
  };
}

describe("the default next-offer rules", () => {
  it.each([
    {
      who: "interested in real estate, no car",
      view: person(["real-estate"], []),
      offers: ["car-for-home-seekers"],
    },
    {
      who: "interested in real estate, bought a car",
      view: person(["real-estate"], [["car", 100]]),
      offers: [],
    },
    {
      who: "took a mortgage 20 days ago",
      view: person([], [["mortgage", 20]]),
      offers: ["renovation-after-mortgage", "refinancing-after-mortgage"],
    },
    {
      who: "took a mortgage 200 days ago",
      view: person([], [["mortgage", 200]]),
      offers: ["refinancing-after-mortgage"],
    },
    {
      who: "took a mortgage 20 days ago and renovated",
      view: person(
        [],
        [
          ["mortgage", 20],
          ["renovation", 5],
        ],
      ),
      offers: ["refinancing-after-mortgage"],
    },
    { who: "took a mortgage two years ago", view: person([], [["mortgage", 730]]), offers: [] },
    { who: "interested in furniture only", view: person(["furniture"], []), offers: [] },
  ])("when a person $who, then the offers are $offers", ({ view, offers }) => {
    expect(matchOffers(view, defaultOfferRules, now).map((m) => m.rule)).toEqual(offers);
  });

  it("when a rule matches, then it says why in words", () => {
    const [match] = matchOffers(person([], [["mortgage", 20]]), defaultOfferRules, now);
    expect(match!.reason).toBe("bought mortgage 20 days ago; no renovation bought");
  });

  it("when a rule is disabled, then it offers nothing", () => {
    const rules = defaultOfferRules.map((rule) => ({ ...rule, enabled: false }));
    expect(matchOffers(person(["real-estate"], []), rules, now)).toEqual([]);
  });
});

describe("offer rules as data", () => {
  const rule = {
    name: "x-rule",
    offer: { category: "car", title: "A car" },
    when: { interestedIn: ["real-estate"] },
  };
  it.each([
    [
      { rules: [{ ...rule, when: {} }] },
      "body.rules.0.when: a rule needs interestedIn or purchased",
    ],
    [
      { rules: [{ ...rule, when: { interestedIn: ["x"], purchasedWithinDays: 5 } }] },
      "body.rules.0.when.purchasedWithinDays: needs purchased",
    ],
    [
      {
        rules: [
          {
            ...rule,
            when: { purchased: ["mortgage"], purchasedWithinDays: 30, purchasedAtLeastDaysAgo: 60 },
          },
        ],
      },
      "body.rules.0.when.purchasedAtLeastDaysAgo: must be less than purchasedWithinDays",
    ],
    [
      { rules: [{ ...rule, when: { purchased: ["car"], notPurchased: ["car"] } }] },
      "body.rules.0.when.notPurchased: car is also in purchased",
    ],
    [{ rules: [rule, rule] }, "body.rules.1.name: x-rule is used twice"],
    [
      { rules: [{ ...rule, name: "Bad Name" }] },
      "body.rules.0.name: expected a name in lower case",
    ],
    [{ rules: [{ ...rule, colour: "red" }] }, "body.rules.0.colour: unknown field"],
  ])("when rules are %j, then they are refused naming the field", (body, message) => {
    expect(() => parseInput(offerRulesSchema, body, "body")).toThrow(message);
  });

  it("when the defaults are validated, then they pass", () => {
    expect(parseInput(offerRulesSchema, { rules: defaultOfferRules }, "body").rules).toEqual(
      defaultOfferRules,
    );
  });
});
