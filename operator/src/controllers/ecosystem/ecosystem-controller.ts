import type { Ecosystem } from "../../api/ecosystem.types.js";
import { watches, type ControllerDefinition } from "../../runtime/controller-definition.js";
import { coalesceMs, type ControllerContext } from "../shared/caches.js";
import { ecosystemKeysOf } from "../shared/indexes.js";
import { ecosystemChildTypes } from "./desired-children.js";
import { reconcileEcosystem } from "./reconcile-ecosystem.js";

// An Ecosystem owns its buses, its gateway and their policies; the gateway's configuration
// and the buses' scopes follow from the modules, partners and routes that name it.

export function ecosystemController(context: ControllerContext): ControllerDefinition<Ecosystem> {
  return {
    objects: context.ecosystems,
    owns: ecosystemChildTypes,
    watches: [
      watches(context.modules, ecosystemKeysOf, { delayMs: coalesceMs }),
      watches(context.partners, ecosystemKeysOf, { delayMs: coalesceMs }),
      watches(context.routes, ecosystemKeysOf, { delayMs: coalesceMs }),
    ],
    reconcile: (key) => reconcileEcosystem(key, context),
  };
}
