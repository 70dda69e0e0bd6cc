import type { Profile } from "@symbiont/crm";
import { seededRandom } from "./identity-dataset.js";
import type { BusEvent } from "./sales-dataset.js";

// A population whose next purchases are known, for measuring next-offer suggestions. Each
// person has hidden circumstances (wants a home, owns a car, took a mortgage, bought a flat),
// only part of which the ecosystem sees: an interest is recorded in CRM most of the time,
// a car or a mortgage may have been bought elsewhere. What each person buys in the 90 days
// after `asOf` is drawn from their circumstances, so no rule can be right every time.

export interface OfferGroundTruthOptions {
  seed: number;
  people: number;
  /** The day offers are made, YYYY-MM-DD. */
  asOf: string;
}

export interface OfferGroundTruth {
  /** The catalog, the people and their past orders, as the modules publish them. */
  events: BusEvent[];
  /** What each person buys in the next 90 days: `<customerId>:<category>`. */
  bought: Set<string>;
  customerIds: string[];
}

const dayMs = 86_400_000;
export const offerCategories = [
  "real-estate",
  "car",
  "mortgage",
  "renovation",
  "refinancing",
  "furniture",
  "insurance",
] as const;

export function offerGroundTruth(options: OfferGroundTruthOptions): OfferGroundTruth {
  const random = seededRandom(options.seed);
  const chance = (p: number) => random() < p;
  const asOf = Date.parse(`${options.asOf}T00:00:00Z`);
  const iso = (ms: number) => new Date(ms).toISOString();
  const itemId = (i: number) =>
    `${options.seed.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
  const events: BusEvent[] = offerCategories.map((category, i) => ({
    id: `mdm.item.changed:${itemId(i)}:1`,
    topic: "mdm.item.changed",
    data: {
      change: "created",
      item: { id: itemId(i), sku: `GT-${i}`, name: category, category, version: 1 },
    },
  }));
  const item = (category: string) => itemId(offerCategories.indexOf(category as never));
  const bought = new Set<string>();
  const customerIds: string[] = [];
  let orders = 0;
  const order = (customerId: string, category: string, daysAgo: number) => {
    const orderId = `${options.seed.toString(16).padStart(8, "0")}-0000-4000-9000-${(++orders).toString(16).padStart(12, "0")}`;
    events.push({
      id: `order.paid:${orderId}`,
      topic: "order.paid",
      data: {
        orderId,
        paymentId: `pay-${orderId}`,
        partnerId: "partner-1",
        customerId,
        offerId: item(category),
        category,
        amount: 100,
        currency: "RUB",
        commission: 10,
        partnerPayout: 90,
        acquirerRef: `acq-${orderId}`,
        paidAt: iso(asOf - daysAgo * dayMs),
      },
    });
  };
  for (let n = 0; n < options.people; n++) {
    const id = `gt-${options.seed}-${n}`;
    customerIds.push(id);
    const wantsHome = chance(0.3);
    const ownsCar = chance(0.45);
    const mortgageDaysAgo = chance(0.2) ? Math.floor(random() * 720) : undefined;
    const flatDaysAgo = chance(0.08) ? Math.floor(random() * 360) : undefined;
    // What the ecosystem saw.
    const interests = [
      ...(wantsHome && chance(0.85) ? [item("real-estate")] : []),
      ...(chance(0.3) ? [item(chance(0.5) ? "furniture" : "insurance")] : []),
    ];
    if (ownsCar && chance(0.3)) order(id, "car", 30 + Math.floor(random() * 700));
    if (mortgageDaysAgo !== undefined && chance(0.8)) order(id, "mortgage", mortgageDaysAgo);
    const renovated =
      mortgageDaysAgo !== undefined && mortgageDaysAgo > 60 && chance(0.5)
        ? mortgageDaysAgo - 30
        : undefined;
    if (renovated !== undefined) order(id, "renovation", renovated);
    if (flatDaysAgo !== undefined) order(id, "real-estate", flatDaysAgo);
    const profile: Profile = {
      id,
      status: "active",
      kind: "customer",
      names: [],
      keys: [`email:gt${n}.s${options.seed}@example.com`],
      hints: [],
      consent: { email: { granted: chance(0.7), at: iso(asOf), source: "site" } },
      interests,
      touchpointCount: 1,
      firstSeenAt: iso(asOf - 800 * dayMs),
      lastSeenAt: iso(asOf - dayMs),
      createdAt: iso(asOf - 800 * dayMs),
      updatedAt: iso(asOf - dayMs),
      version: 1,
    };
    events.push({ id: `customer.created:${id}`, topic: "customer.created", data: { profile } });
    // What they buy next.
    const recentMortgage = mortgageDaysAgo !== undefined && mortgageDaysAgo <= 90;
    const yearMortgage = mortgageDaysAgo !== undefined && mortgageDaysAgo <= 365;
    const recentFlat = flatDaysAgo !== undefined && flatDaysAgo <= 180;
    const next: Record<string, number> = {
      car: wantsHome && !ownsCar ? 0.5 : ownsCar ? 0.01 : 0.04,
      renovation:
        renovated !== undefined
          ? 0.01
          : recentMortgage
            ? 0.45
            : recentFlat
              ? 0.35
              : yearMortgage
                ? 0.1
                : 0.01,
      refinancing: yearMortgage ? 0.25 : mortgageDaysAgo !== undefined ? 0.08 : 0.002,
    };
    for (const [category, p] of Object.entries(next))
      if (chance(p)) bought.add(`${id}:${category}`);
  }
  return { events, bought, customerIds };
}

export interface PrecisionRecall {
  suggested: number;
  relevant: number;
  hits: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Suggestions (`<customerId>:<category>`) scored against what people went on to buy. */
export function precisionRecall(
  suggested: ReadonlySet<string>,
  bought: ReadonlySet<string>,
): PrecisionRecall {
  let hits = 0;
  for (const key of suggested) if (bought.has(key)) hits++;
  const precision = suggested.size === 0 ? 0 : hits / suggested.size;
  const recall = bought.size === 0 ? 0 : hits / bought.size;
  return {
    suggested: suggested.size,
    relevant: bought.size,
    hits,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}
