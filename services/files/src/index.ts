export { buildApp, type FilesAppOptions } from "./app.js";
export { loadFilesConfig, type FilesConfig } from "./config.js";
export { createObjectStore, type ObjectStore } from "./data/object-store.js";
export {
  accessTokenAudience,
  signAccessToken,
  verifyAccessToken,
  type AccessClaims,
} from "./auth/access-token.js";
export { searchTerms } from "./search/search-terms.js";
export { contentTypes, defaultAllowedTypes } from "./domain/content-types.js";
export type { Sandbox, Grant, Link, Right } from "./domain/sandbox.js";
export {
  documentGeneratedTopic,
  fileSharedEventSchema,
  fileSharedTopic,
  fileStoredEventSchema,
  fileUploadedTopic,
  fileVersionedTopic,
  type FileSharedEvent,
  type FileStoredEvent,
} from "./events/files-topics.js";
export { documentGeneratedSchema, type DocumentGenerated } from "./events/document-generated.js";
