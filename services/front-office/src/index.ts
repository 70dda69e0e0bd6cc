export { buildApp, type FrontOfficeApp } from "./app.js";
export { loadFrontOfficeConfig, frontOfficeModules, type FrontOfficeConfig } from "./config.js";
export { itemChangedSchema } from "./catalog/item-changed.js";
export {
  callBackTouchpoint,
  interestTouchpoint,
  visitTouchpoint,
  touchpointTopic,
} from "./touchpoints/touchpoint-events.js";
export { cabinetOpenApi } from "./cabinet/openapi.js";
