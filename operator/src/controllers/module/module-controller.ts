import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import { keyOf } from "../../kube/kube-object.js";
import { watches, type ControllerDefinition } from "../../runtime/controller-definition.js";
import { keysNaming, type ControllerContext } from "../shared/caches.js";
import { moduleKeyOfPod } from "../shared/indexes.js";
import { moduleChildTypes } from "./desired-children.js";
import { reconcileModule } from "./reconcile-module.js";

// A module owns its Deployment, Service, ServiceAccount, PodDisruptionBudget and Dapr
// Subscriptions (and its own Dapr Configuration when it accepts invocations); its bus and
// the rest of its Dapr configuration are its Ecosystem's. Its pods' changes (image pulls,
// crash loops) reach its status at once.

export function moduleController(
  context: ControllerContext,
): ControllerDefinition<EcosystemModule> {
  return {
    objects: context.modules,
    owns: moduleChildTypes,
    watches: [
      watches(context.ecosystems, (eco) => keysNaming(context.modules, keyOf(eco.metadata))),
      watches(context.pods, moduleKeyOfPod),
    ],
    reconcile: (key) => reconcileModule(key, context),
  };
}
