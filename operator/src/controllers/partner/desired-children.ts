import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { PartnerIntegration } from "../../api/partner-integration.types.js";
import { gatewayName, partnerBindingName } from "@symbiont/contracts";
import type { DaprComponent, DaprMetadataItem } from "../../dapr/dapr-resources.js";
import type { ResourceType } from "../../kube/kube-client.js";
import { ecosystemLabels } from "../shared/labels.js";

// A partner as the Dapr output binding the bus gateway delivers through (MISSION B3, T1-T5).
// Only the gateway may load it.

export const partnerChildTypes: ResourceType[] = [
  { apiVersion: "dapr.io/v1alpha1", kind: "Component" },
];

export function desiredPartnerChildren(
  partner: PartnerIntegration,
  ecosystem: Ecosystem,
): DaprComponent[] {
  const { spec } = partner;
  if (spec.direction === "inbound" || !spec.endpoint) return [];
  const eco = ecosystem.metadata.name;
  const name = partnerBindingName(eco, partner.metadata.name);
  // No credential here: the gateway adds its signature or Authorization header per delivery.
  const metadata: DaprMetadataItem[] = [
    { name: "url", value: spec.endpoint },
    { name: "responseTimeout", value: spec.binding.timeout },
  ];
  return [
    {
      apiVersion: "dapr.io/v1alpha1",
      kind: "Component",
      metadata: {
        name,
        namespace: partner.metadata.namespace,
        labels: {
          ...ecosystemLabels(eco, "partner-binding", name),
          "symbiont.dev/partner": partner.metadata.name,
        },
      },
      spec: { type: `bindings.${spec.binding.type}`, version: "v1", metadata },
      scopes: [gatewayName(eco)],
    },
  ];
}
