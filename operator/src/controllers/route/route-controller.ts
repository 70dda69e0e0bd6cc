import type { BusRoute } from "../../api/bus-route.types.js";
import { keyOf } from "../../kube/kube-object.js";
import { watches, type ControllerDefinition } from "../../runtime/controller-definition.js";
import { coalesceMs, keysNaming, type ControllerContext } from "../shared/caches.js";
import { ecosystemKeysOf } from "../shared/indexes.js";
import { reconcileRoute } from "./reconcile-route.js";

// A route owns nothing (the gateway's configuration, the Ecosystem's, carries it). Its
// verdict depends on its Ecosystem and on who publishes and receives there, so a change to
// any route, module or partner of an Ecosystem looks at all of that Ecosystem's routes.

export function routeController(context: ControllerContext): ControllerDefinition<BusRoute> {
  const routesNaming = (ecosystemKeys: string[]) =>
    ecosystemKeys.flatMap((ecoKey) => keysNaming(context.routes, ecoKey));
  return {
    objects: context.routes,
    owns: [],
    watches: [
      watches(context.ecosystems, (eco) => routesNaming([keyOf(eco.metadata)]), { delayMs: 0 }),
      watches(context.modules, (m, previous) => routesNaming(ecosystemKeysOf(m, previous)), {
        delayMs: coalesceMs,
      }),
      watches(context.partners, (p, previous) => routesNaming(ecosystemKeysOf(p, previous)), {
        delayMs: coalesceMs,
      }),
      // Its own changes too: a route's verdict depends on its siblings'.
      watches(context.routes, (r, previous) => routesNaming(ecosystemKeysOf(r, previous)), {
        delayMs: coalesceMs,
      }),
    ],
    reconcile: (key) => reconcileRoute(key, context),
  };
}
