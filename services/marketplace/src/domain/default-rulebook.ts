import type { RulebookInput } from "./rulebook.js";

/**
 * The rules a new marketplace starts with (`PUT /v1/rules` replaces them): property
 * management companies sell building services per flat per month and repairs; couriers sell
 * deliveries. Prices in roubles.
 */
export const defaultRulebook: RulebookInput = {
  units: [
    { code: "flat-month", label: "service per flat per month" },
    { code: "visit", label: "visit" },
    { code: "hour", label: "hour of work" },
    { code: "delivery", label: "delivery" },
  ],
  rules: [
    {
      name: "property-management-may-offer",
      type: "categories",
      partnerKind: "property-management",
      categories: ["building-services", "repairs"],
    },
    {
      name: "courier-may-offer",
      type: "categories",
      partnerKind: "courier",
      categories: ["delivery"],
    },
    {
      name: "building-services-per-flat-month",
      type: "units",
      category: "building-services",
      units: ["flat-month"],
    },
    {
      name: "repairs-per-visit-or-hour",
      type: "units",
      category: "repairs",
      units: ["visit", "hour"],
    },
    { name: "delivery-per-delivery", type: "units", category: "delivery", units: ["delivery"] },
    {
      name: "building-services-price",
      type: "price",
      category: "building-services",
      currency: "RUB",
      min: 50,
      max: 5_000,
    },
    {
      name: "repairs-visit-price",
      type: "price",
      category: "repairs",
      unit: "visit",
      currency: "RUB",
      min: 500,
      max: 50_000,
    },
    {
      name: "repairs-hour-price",
      type: "price",
      category: "repairs",
      unit: "hour",
      currency: "RUB",
      min: 300,
      max: 10_000,
    },
    {
      name: "delivery-price",
      type: "price",
      category: "delivery",
      currency: "RUB",
      min: 150,
      max: 5_000,
    },
    {
      name: "building-services-sla",
      type: "sla",
      category: "building-services",
      maxResponseHours: 72,
      maxCompletionHours: 744,
    },
    {
      name: "repairs-sla",
      type: "sla",
      category: "repairs",
      maxResponseHours: 24,
      maxCompletionHours: 336,
    },
    {
      name: "delivery-sla",
      type: "sla",
      category: "delivery",
      maxResponseHours: 2,
      maxCompletionHours: 48,
    },
    { name: "default-commission", type: "commission", percent: 10 },
    {
      name: "building-services-commission",
      type: "commission",
      category: "building-services",
      percent: 5,
    },
    { name: "delivery-commission", type: "commission", category: "delivery", percent: 15 },
  ],
};
