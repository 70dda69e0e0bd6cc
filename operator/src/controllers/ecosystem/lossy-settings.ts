import type { BusSpec, Ecosystem } from "../../api/ecosystem.types.js";
import type { ConditionInput } from "@symbiont/contracts";

// Bus settings that can lose messages: refused by the Ecosystem CRD's CEL rule unless the bus
// says allowLossySettings: true; then the Ecosystem says which in its LossySettings condition
// (and the status writer raises a Warning Event when it turns True). The same list as the rule
// in crds/ecosystems.symbiont.dev.yaml; test/integration/admission-refusals.test.ts holds both
// to it.

const trimming = ["maxLenApprox", "maxLen", "maxLenBytes", "ttlInSeconds", "streamTTL"];
/** Settings that lose messages unless they have the durable value. */
const durableValues: Record<string, (value: string) => boolean> = {
  durable: (v) => v === "true",
  deletedWhenUnused: (v) => v === "false",
  autoAck: (v) => v === "false",
  publisherConfirm: (v) => v === "true",
  deliveryMode: (v) => v === "2",
  requeueInFailure: (v) => v === "true",
  redeliverInterval: (v) => !["0", "0s", "0ms"].includes(v),
};

/** `key=value` of each lossy setting of one bus, in the order written. */
export function lossySettings(bus: Pick<BusSpec, "settings">): string[] {
  return Object.entries(bus.settings ?? {})
    .filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        (trimming.includes(entry[0]) || durableValues[entry[0]]?.(entry[1]) === false),
    )
    .map(([key, value]) => `${key}=${value}`);
}

export function lossySettingsCondition(ecosystem: Ecosystem): ConditionInput {
  const { internalBus, corporateBus } = ecosystem.spec;
  const found = [
    ["internal bus", lossySettings(internalBus)],
    ["corporate bus", lossySettings(corporateBus)],
  ] as const;
  const lossy = found.filter(([, settings]) => settings.length > 0);
  if (lossy.length === 0)
    return {
      type: "LossySettings",
      status: "False",
      reason: "DurableSettings",
      message: "both buses keep every message until it is delivered",
    };
  return {
    type: "LossySettings",
    status: "True",
    reason: "LossySettingsAllowed",
    message: `${lossy
      .map(([bus, settings]) => `${bus}: ${settings.join(", ")}`)
      .join("; ")} can trim or drop messages nobody has acknowledged (allowLossySettings: true)`,
  };
}
