export { buildApp, type ProcessesApp, type ProcessesAppOptions } from "./app.js";
export { loadProcessesConfig, type ProcessesConfig } from "./config.js";
export { parseCallers, type Caller, type Role } from "./auth/callers.js";
export { readDefinition, type DefinitionModel } from "./engine/read-definition.js";
export { clientMeetingStart, clientMeetingKey } from "./domain/client-meeting.js";
export type { Task } from "./domain/task.js";
export {
  documentGeneratedTopic,
  kpiUpdatedSchema,
  kpiUpdatedTopic,
  signingRequestedSchema,
  signingRequestedTopic,
  smsSchema,
  smsTopic,
  taskCompletedTopic,
  taskCreatedTopic,
  taskEventSchema,
  taskOverdueTopic,
} from "./events/processes-topics.js";
export { meetingBookedSchema, meetingBookedTopic } from "./events/consumed-topics.js";
