// The processes module's bus contract alone (`@symbiont/processes/events`): topic names and
// payload schemas, for the partners on the other side of a topic (partner-sim's telephony and
// messenger) without the module's engine and database.
export {
  callbackAgentStatuses,
  callbackRequestedSchema,
  callbackRequestedTopic,
  type CallbackRequested,
} from "./consumed-topics.js";
export {
  messengerMessageSchema,
  messengerTopic,
  smsSchema,
  smsTopic,
  type MessengerMessage,
  type Sms,
} from "./processes-topics.js";
