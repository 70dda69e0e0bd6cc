import { defaultOfferRules, type OfferRule } from "@symbiont/analytics";
import {
  offerCategories,
  offerGroundTruth,
  precisionRecall,
  type PrecisionRecall,
} from "../../dev/datasets/offer-ground-truth.js";
import { foldEvents } from "../../services/analytics/src/domain/fold-events.js";
import {
  customerView,
  type CustomerView,
} from "../../services/analytics/src/domain/customer-view.js";
import { matchOffers } from "../../services/analytics/src/domain/match-offers.js";
import { suggests, trainScorer, type Features } from "./logistic-scorer.js";

// Next-offer precision and recall on a generated population whose next purchases are known
// (dev/datasets/offer-ground-truth.ts): the default rules, a logistic-regression scorer
// trained on half of the people, and the rules with one more rule for the pattern the scorer
// found. Every figure is on the held-out half.

const people = Number(process.env.BENCH_OFFER_PEOPLE ?? 40_000);
const asOf = "2026-12-01";
const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
const targets = ["car", "renovation", "refinancing"] as const;
const dayMs = 86_400_000;

function features(view: CustomerView): Features {
  const x: Features = [1];
  for (const category of offerCategories) {
    const at = view.purchases.get(category);
    const days = at === undefined ? Infinity : (asOfMs - at) / dayMs;
    x.push(
      view.interests.has(category) ? 1 : 0,
      days <= 90 ? 1 : 0,
      days <= 180 ? 1 : 0,
      days <= 365 ? 1 : 0,
      at === undefined ? 0 : 1,
    );
  }
  return x;
}

const flatRule: OfferRule = {
  name: "renovation-after-flat",
  offer: { category: "renovation", title: "Renovation of your new flat" },
  when: { purchased: ["real-estate"], purchasedWithinDays: 180, notPurchased: ["renovation"] },
  enabled: true,
};

export function offerBench(): string[] {
  const truth = offerGroundTruth({ seed: 77, people, asOf });
  const state = foldEvents(truth.events, asOfMs);
  const views = truth.customerIds.map((id) => customerView(state, id)!);
  const train = views.filter((_, i) => i % 2 === 0);
  const test = views.filter((_, i) => i % 2 === 1);
  const testIds = new Set(test.map((v) => v.customerId));
  const bought = (category: string) =>
    new Set(
      [...truth.bought].filter(
        (key) => key.endsWith(`:${category}`) && testIds.has(key.slice(0, key.lastIndexOf(":"))),
      ),
    );
  const byRules = (rules: OfferRule[], category: string) =>
    new Set(
      test.flatMap((view) =>
        matchOffers(view, rules, asOfMs)
          .filter((m) => m.offer.category === category)
          .map(() => `${view.customerId}:${category}`),
      ),
    );
  const rows: string[] = [
    "| offer | buyers (held out) | method | suggested | precision | recall | F1 |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
  ];
  const row = (category: string, method: string, score: PrecisionRecall) =>
    rows.push(
      `| ${category} | ${score.relevant} | ${method} | ${score.suggested} | ${score.precision.toFixed(3)} | ${score.recall.toFixed(3)} | ${score.f1.toFixed(3)} |`,
    );
  const totals: Record<string, Set<string>> = {
    rules: new Set(),
    scorer: new Set(),
    more: new Set(),
  };
  for (const category of targets) {
    const scorer = trainScorer(
      train.map((view) => ({
        x: features(view),
        y: truth.bought.has(`${view.customerId}:${category}`),
      })),
    );
    const learned = new Set(
      test
        .filter((view) => suggests(scorer, features(view)))
        .map((v) => `${v.customerId}:${category}`),
    );
    const rules = byRules(defaultOfferRules, category);
    const more = byRules([...defaultOfferRules, flatRule], category);
    row(category, "default rules", precisionRecall(rules, bought(category)));
    row(category, "learned scorer", precisionRecall(learned, bought(category)));
    if (category === "renovation")
      row(category, "rules + renovation-after-flat", precisionRecall(more, bought(category)));
    for (const key of rules) totals.rules!.add(key);
    for (const key of learned) totals.scorer!.add(key);
    for (const key of more) totals.more!.add(key);
  }
  const all = new Set(targets.flatMap((category) => [...bought(category)]));
  row("all three", "default rules", precisionRecall(totals.rules!, all));
  row("all three", "learned scorer", precisionRecall(totals.scorer!, all));
  row("all three", "rules + renovation-after-flat", precisionRecall(totals.more!, all));
  return rows;
}
