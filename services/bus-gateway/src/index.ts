export {
  parseGatewayFile,
  loadGatewayConfig,
  gatewayFileSchema,
  type GatewayFile,
  type GatewayConfig,
  type PartnerConfig,
  type RouteConfig,
} from "./config.js";
export { RouteTable, deadLetterSuffix, type SubscriptionSpec } from "./domain/route-table.js";
export { signPayload, verifySignature } from "./domain/sign-payload.js";
export { canonicalJson } from "./domain/canonical-json.js";
export { SchemaValidator, type Validation } from "./domain/schema-validator.js";
