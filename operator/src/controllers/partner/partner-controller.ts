import type { PartnerIntegration } from "../../api/partner-integration.types.js";
import { keyOf } from "../../kube/kube-object.js";
import { watches, type ControllerDefinition } from "../../runtime/controller-definition.js";
import { keysNaming, type ControllerContext } from "../shared/caches.js";
import { partnerChildTypes } from "./desired-children.js";
import { operatorConditions } from "./desired-status.js";
import { reconcilePartner } from "./reconcile-partner.js";

// A partner owns the Dapr output binding the gateway delivers through, named after its
// Ecosystem.

export function partnerController(
  context: ControllerContext,
): ControllerDefinition<PartnerIntegration> {
  return {
    objects: context.partners,
    owns: partnerChildTypes,
    watches: [
      watches(context.ecosystems, (eco) => keysNaming(context.partners, keyOf(eco.metadata))),
    ],
    reconcile: (key) => reconcilePartner(key, context),
    // The bus gateway owns the delivery counts and its own conditions.
    ownedStatus: (s) => ({
      observedGeneration: (s as { observedGeneration?: number }).observedGeneration,
      conditions: operatorConditions(s.conditions),
    }),
  };
}
