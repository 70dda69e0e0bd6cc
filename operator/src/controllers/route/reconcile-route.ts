import type { BusRoute } from "../../api/bus-route.types.js";
import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { PartnerIntegration } from "../../api/partner-integration.types.js";
import { parseKey, type ObjectKey } from "../../kube/kube-object.js";
import { mergeConditions } from "@symbiont/contracts";
import type { Outcome } from "../../runtime/controller.js";
import type { Informer } from "../../runtime/informer.js";
import type { StatusWriter } from "../../runtime/status-writer.js";
import { routeDeadLetters } from "../shared/dead-letter-counts.js";
import { byEcosystem } from "../shared/indexes.js";
import { routeVerdicts } from "../shared/route-verdicts.js";

export interface RouteDeps {
  routes: Informer<BusRoute>;
  ecosystems: Informer<Ecosystem>;
  modules: Informer<EcosystemModule>;
  partners: Informer<PartnerIntegration>;
  status: StatusWriter;
}

/** A BusRoute has no children: the gateway's configuration (owned by the Ecosystem) carries it. */
export async function reconcileRoute(key: ObjectKey, deps: RouteDeps): Promise<Outcome> {
  const route = deps.routes.get(key);
  if (!route || route.metadata.deletionTimestamp) return {};
  const { namespace } = parseKey(key);
  const ecoKey = `${namespace}/${route.spec.ecosystemRef.name}`;
  const ecosystem = deps.ecosystems.get(ecoKey);
  const verdict = routeVerdicts({
    ecosystem,
    routes: deps.routes.byIndex(byEcosystem, ecoKey),
    modules: deps.modules.byIndex(byEcosystem, ecoKey),
    partners: deps.partners.byIndex(byEcosystem, ecoKey),
  }).get(route.metadata.name)!;
  const status = {
    observedGeneration: route.metadata.generation,
    conditions: mergeConditions(
      route.status?.conditions,
      [verdict],
      route.metadata.generation,
      new Date(),
    ),
    deadLetters: routeDeadLetters(ecosystem, route.metadata.name),
  };
  await deps.status.write(route, status);
  return {};
}
