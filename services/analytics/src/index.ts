export { buildApp, type AnalyticsAppOptions } from "./app.js";
export { loadAnalyticsConfig, type AnalyticsConfig } from "./config.js";
export { consumedTopics } from "./events/consumed-topics.js";
export {
  offerSuggestedTopic,
  offerSuggestedSchema,
  audienceSegmentExportedTopic,
  audienceSegmentExportedSchema,
  offerSuggested,
  audienceSegmentExported,
  type OfferSuggested,
  type AudienceSegmentExported,
} from "./events/published-topics.js";
export { orderTopics } from "./events/order-events.js";
export { paymentTopics } from "./events/payment-events.js";
export { taskTopics, kpiUpdatedTopic } from "./events/process-events.js";
export { meetingBookedTopic } from "./events/meeting-events.js";
export { fitHoltWinters, forecastHoltWinters } from "./domain/holt-winters.js";
export { seasonalNaive } from "./domain/seasonal-naive.js";
export { backtest, type BacktestResult } from "./domain/backtest.js";
export { defaultOfferRules, type OfferRule } from "./domain/offer-rule.js";
export { parseCallers, type Role } from "./http/callers.js";
