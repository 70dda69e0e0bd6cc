import type { Offer } from "../domain/offer.js";

// An offer as createOffer stores it (the courier's offer that sampleOrder was placed from),
// for tests that need one without a database.

export function sampleOffer(status: Offer["status"] = "active"): Offer {
  const at = "2026-12-01T09:00:00.000Z";
  return {
    id: "0f3e5a4c-2b1d-4e6f-9a8b-7c6d5e4f3a2b",
    partnerId: "swift-couriers",
    title: "Same-day delivery",
    description: "Across the city within the day.",
    category: "delivery",
    unit: "delivery",
    price: { amount: 350, currency: "RUB" },
    sla: { responseHours: 1, completionHours: 12 },
    status,
    rulesVersion: 1,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}
