export { buildApp, type MarketplaceAppOptions } from "./app.js";
export { loadMarketplaceConfig, type MarketplaceConfig } from "./config.js";
export * from "./events/index.js";
export {
  orderTransitions,
  orderStatuses,
  type OrderStatus,
  type TransitionName,
} from "./domain/order-machine.js";
export { defaultRulebook } from "./domain/default-rulebook.js";
export type { RulebookInput, Rule } from "./domain/rulebook.js";
