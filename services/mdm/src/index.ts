export { buildApp, type MdmDeps } from "./app.js";
export { loadMdmConfig, type MdmConfig } from "./config.js";
export {
  itemChangedTopic,
  dictionaryChangedTopic,
  type ItemChangedEvent,
  type DictionaryChangedEvent,
} from "./events/mdm-topics.js";
export type { Item } from "./domain/item.js";
