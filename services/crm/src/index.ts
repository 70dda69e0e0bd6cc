export { buildApp, type CrmAppOptions } from "./app.js";
export { loadCrmConfig, type CrmConfig } from "./config.js";
export type { Profile, MergeRecord, MergeSuggestion } from "./domain/profile.js";
export type { TouchpointInput } from "./domain/touchpoint.js";
export type { Resolution } from "./domain/resolve-batch.js";
export {
  customerCreatedTopic,
  customerMergedTopic,
  customerUpdatedTopic,
  touchpointRecordedTopic,
} from "./events/crm-topics.js";
export { touchpointInputSchema } from "./domain/touchpoint.js";
export { identityKeys, cookieHint } from "./domain/identity-keys.js";
