export {
  internalBusName,
  corporateBusName,
  gatewayName,
  partnerBindingName,
  deadLetterSuffix,
  defaultDeadLetterTopic,
  defaultRoute,
  signingKeyEnv,
  partnerSecretEnv,
} from "./ecosystem-names.js";
export {
  gatewayFileSchema,
  deliveryPolicySchema,
  redactRuleSchema,
  routeSchema,
  partnerSchema,
  partnerAuthSchema,
  partnerCategories,
  type GatewayFile,
  type GatewayFileInput,
  type DeliveryPolicy,
  type RedactRule,
  type RouteConfig,
  type RouteInput,
  type PartnerConfig,
  type PartnerInput,
  type PartnerAuth,
} from "./gateway-file.js";
export {
  mergeConditions,
  findCondition,
  isConditionTrue,
  type Condition,
  type ConditionInput,
  type ConditionStatus,
} from "./conditions.js";
export {
  cloudEventSchema,
  eventPayload,
  type CloudEvent,
  type OutgoingCloudEvent,
} from "./cloud-event.js";
export {
  compileJsonSchema,
  draft2020,
  draft07,
  type CompiledSchema,
  type PayloadCheck,
} from "./compile-json-schema.js";
export { backoffDelay } from "./backoff.js";
