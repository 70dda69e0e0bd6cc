import type { MarketOffer } from "../cabinet-data/market-offer-events.js";

/** A marketplace offer as the cabinet keeps it, for page and request tests (fields may be overridden). */
export function testMarketOffer(changes: Partial<MarketOffer> = {}): MarketOffer {
  return {
    offerId: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
    partnerId: "cleanco",
    title: "Window cleaning",
    description: "",
    category: "home-cleaning",
    unit: "visit",
    price: { amount: 1500, currency: "RUB" },
    sla: { responseHours: 24, completionHours: 72 },
    status: "active",
    version: 3,
    ...changes,
  };
}
