export {
  loadSimConfig,
  parseSpec,
  partnerKinds,
  type PartnerKind,
  type SimConfig,
  type SimPartner,
} from "./config.js";
export { startPartnerSim, type PartnerSim } from "./partner-sim.js";
export { failureModeSchema, type FailureMode } from "./domain/failure-mode.js";
export type { ReceivedMessage, ReceivedStats } from "./domain/received-log.js";
export { parseIdps, type IdpConfig, type IdpClient } from "./idp/idp-config.js";
export { idpPeople, type IdpPerson } from "./idp/idp-people.js";
