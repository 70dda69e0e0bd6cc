import type { BusRoute } from "../../api/bus-route.types.js";
import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { PartnerIntegration } from "../../api/partner-integration.types.js";
import type { ResourceType } from "../../kube/kube-client.js";
import { keyOf, type KubeObject, type ObjectKey } from "../../kube/kube-object.js";
import type { ChildApplier } from "../../runtime/child-applier.js";
import type { Informer } from "../../runtime/informer.js";
import type { Manager } from "../../runtime/manager.js";
import type { StatusWriter } from "../../runtime/status-writer.js";
import { byEcosystem, byModule, ecosystemKeyOf, moduleKeyOfPod } from "./indexes.js";
import { moduleLabel } from "./labels.js";
import type { PodLike } from "./pod-problems.js";

// The caches of the operator's own kinds, shared by every controller, with the one index
// they all use (indexes.ts): modules, partners and routes by the Ecosystem they name; and
// the modules' pods by module (they say at once what a Deployment says only after its
// deadline).

const api = "symbiont.dev/v1alpha1";
export const ecosystemType: ResourceType = { apiVersion: api, kind: "Ecosystem" };
export const moduleType: ResourceType = { apiVersion: api, kind: "EcosystemModule" };
export const partnerType: ResourceType = { apiVersion: api, kind: "PartnerIntegration" };
export const routeType: ResourceType = { apiVersion: api, kind: "BusRoute" };
export const podType: ResourceType = { apiVersion: "v1", kind: "Pod" };

/**
 * A module's, a partner's or a route's change reaches its Ecosystem (and the Ecosystem's
 * routes) this much later, so a burst (kubectl apply -f of many modules) collapses into one
 * reconcile instead of one per object.
 */
export const coalesceMs = 300;

export interface Caches {
  ecosystems: Informer<Ecosystem>;
  modules: Informer<EcosystemModule>;
  partners: Informer<PartnerIntegration>;
  routes: Informer<BusRoute>;
  /** Pods that carry a module's label (memory: modules' pods only). */
  pods: Informer<PodLike>;
}

/** What every controller is built from: the caches and the runtime's two writers. */
export interface ControllerContext extends Caches {
  children: ChildApplier;
  status: StatusWriter;
  /** The bus gateway's image for Ecosystems that name none (the operator's configuration). */
  gatewayImage: string;
  /** Keeps the gateways' reviews ClusterRoleBinding's subjects (ecosystem/gateway-reviewers.ts). */
  reviewers: { sync(ecosystems: readonly Ecosystem[]): Promise<void> };
}

export function createCaches(manager: Manager): Caches {
  const caches: Caches = {
    ecosystems: manager.cache<Ecosystem>(ecosystemType),
    modules: manager.cache<EcosystemModule>(moduleType),
    partners: manager.cache<PartnerIntegration>(partnerType),
    routes: manager.cache<BusRoute>(routeType),
    pods: manager.cache<PodLike>(podType, moduleLabel),
  };
  caches.modules.addIndex(byEcosystem, (m) => [ecosystemKeyOf(m)]);
  caches.partners.addIndex(byEcosystem, (p) => [ecosystemKeyOf(p)]);
  caches.routes.addIndex(byEcosystem, (r) => [ecosystemKeyOf(r)]);
  caches.pods.addIndex(byModule, moduleKeyOfPod);
  return caches;
}

/** The keys of `informer`'s objects that name the Ecosystem `ecosystemKey`. */
export function keysNaming<T extends KubeObject>(
  informer: Informer<T>,
  ecosystemKey: ObjectKey,
): ObjectKey[] {
  return informer.byIndex(byEcosystem, ecosystemKey).map((o) => keyOf(o.metadata));
}
