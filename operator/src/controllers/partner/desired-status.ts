import type {
  PartnerIntegration,
  PartnerIntegrationStatus,
} from "../../api/partner-integration.types.js";
import { gatewayName, partnerBindingName } from "@symbiont/contracts";
import { mergeConditions, type Condition, type ConditionInput } from "@symbiont/contracts";

// The operator's part of a PartnerIntegration's status: Ready and the binding's name. The
// delivery counts and the Delivering/Buffering conditions belong to the bus gateway.

export function desiredPartnerStatus(
  partner: PartnerIntegration,
  ecosystemFound: boolean,
  now: Date,
): Pick<PartnerIntegrationStatus, "observedGeneration" | "conditions" | "bindingComponent"> {
  const eco = partner.spec.ecosystemRef.name;
  const { spec } = partner;
  const outbound = spec.direction !== "inbound";
  const inbound = spec.direction !== "outbound";
  const ready: ConditionInput = !ecosystemFound
    ? {
        type: "Ready",
        status: "False",
        reason: "EcosystemNotFound",
        message: `Ecosystem ${eco} does not exist in namespace ${partner.metadata.namespace}; create it or fix spec.ecosystemRef.name`,
      }
    : {
        type: "Ready",
        status: "True",
        reason: "Connected",
        message: [
          outbound
            ? `the bus gateway delivers ${(spec.consumes ?? []).join(", ") || "no topic yet"} to ${spec.endpoint}`
            : "",
          inbound
            ? `webhooks to POST /inbound/${partner.metadata.name} on ${gatewayName(eco)} publish to ${(spec.produces ?? []).join(", ")}`
            : "",
        ]
          .filter(Boolean)
          .join("; "),
      };
  return {
    observedGeneration: partner.metadata.generation,
    conditions: mergeConditions(
      operatorConditions(partner.status?.conditions),
      [ready],
      partner.metadata.generation,
      now,
    ),
    ...(ecosystemFound && outbound
      ? { bindingComponent: partnerBindingName(eco, partner.metadata.name) }
      : {}),
  };
}

export const operatorConditionTypes = ["Ready"];

export function operatorConditions(conditions: readonly Condition[] | undefined): Condition[] {
  return (conditions ?? []).filter((c) => operatorConditionTypes.includes(c.type));
}
