export {
  internalBusName,
  corporateBusName,
  gatewayName,
  gatewayAppTokenSecretName,
  appTokenSecretKey,
  appTokenEnv,
  appTokenHeader,
  partnerBindingName,
  deadLetterSuffix,
  deadLetterTopicOf,
  deadLetterRoute,
  defaultRoute,
  signingKeyEnv,
  partnerSecretEnv,
  partnerPreviousSecretEnv,
} from "./ecosystem-names.js";
export {
  gatewayFileSchema,
  deliveryPolicySchema,
  partnerDeliverySchema,
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
  asBulkDelivery,
  bulkDeliverySchema,
  bulkEventType,
  cloudEventSchema,
  eventPayload,
  maxBulkEntries,
  type BulkAnswer,
  type BulkDelivery,
  type CloudEvent,
  type DeliveryStatus,
  type OutgoingCloudEvent,
} from "./cloud-event.js";
export {
  compileJsonSchema,
  draft2020,
  draft07,
  type CompiledSchema,
  type PayloadCheck,
} from "./compile-json-schema.js";
export {
  gatewayAdminGroup,
  gatewayAdminResource,
  gatewayAdminActions,
  gatewayAdminRules,
  gatewayPorts,
  type GatewayAdminAction,
} from "./gateway-admin.js";
export { replayAnnotation, parseReplayRequest, type ReplayRequest } from "./replay-request.js";
export { backoffDelay } from "./backoff.js";
export {
  redeliveryResource,
  redeliverySpecSchema,
  redeliveryConditions,
  type RedeliverySpec,
  type RedeliveryProgress,
} from "./redelivery.js";
export {
  webhookIdHeader,
  webhookTimestampHeader,
  webhookSignatureHeader,
  defaultWebhookToleranceMs,
  webhookIdPattern,
  signWebhook,
  webhookSignatureHeaders,
  verifyWebhook,
  WebhookReplayGuard,
  WebhookAttemptClock,
  type WebhookMessage,
  type WebhookRefusal,
  type WebhookVerdict,
  type VerifyWebhookInput,
  type VerifyWebhookOptions,
} from "./webhook-signature.js";
export {
  contactChannels,
  consentKinds,
  consentStatementSchema,
  cookieChoices,
  cookieChoiceSchema,
  cookieConsent,
  type ContactChannel,
  type ConsentKind,
  type ConsentStatement,
  type CookieChoice,
} from "./consent.js";
export { frontOfficeRoles, type FrontOfficeRole } from "./front-office-roles.js";
export {
  ssoAccount,
  ssoLoginTopic,
  ssoLoginProviders,
  ssoLoginUpstreamSchema,
  ssoLoginSchema,
  type SsoLogin,
  type SsoLoginProvider,
} from "./sso-login.js";
export {
  ssoUpstreamKinds,
  upstreamLoginProvider,
  ssoUpstreamRedirectUri,
  type SsoUpstreamKind,
} from "./sso-upstreams.js";
export {
  meetingBookedSchema,
  meetingBookedTopic,
  meetingPlaces,
  type MeetingBooked,
} from "./meeting.js";
export {
  LeaderElector,
  type Lease,
  type LeaseClient,
  type LeaseSpec,
  type LeaderElectionOptions,
  type ObservedLeader,
} from "./leader-lease.js";
export {
  actorKinds,
  manualTransitionSchema,
  manualTransitions,
  orderStatuses,
  orderTransitions,
  partnerIdSchema,
  partnerOrderTransitionSchema,
  partnerUpdatedTopic,
  transitionNames,
  transitionsFrom,
  type ActorKind,
  type OrderStatus,
  type PartnerOrderTransition,
  type TransitionName,
  type TransitionSpec,
} from "./marketplace-orders.js";
