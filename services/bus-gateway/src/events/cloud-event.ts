// The CloudEvent envelope is the contract in @symbiont/contracts; the gateway's modules know
// it under these names.
export {
  cloudEventSchema as incomingCloudEventSchema,
  eventPayload,
  type CloudEvent as IncomingCloudEvent,
  type OutgoingCloudEvent,
} from "@symbiont/contracts";
