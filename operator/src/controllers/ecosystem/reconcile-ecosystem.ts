import type { BusRoute } from "../../api/bus-route.types.js";
import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { PartnerIntegration } from "../../api/partner-integration.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { ObjectKey } from "../../kube/kube-object.js";
import type { ChildApplier } from "../../runtime/child-applier.js";
import type { Outcome } from "../../runtime/controller.js";
import type { Informer } from "../../runtime/informer.js";
import type { StatusWriter } from "../../runtime/status-writer.js";
import type { DeploymentLike } from "../shared/deployment-availability.js";
import { byEcosystem } from "../shared/indexes.js";
import {
  desiredEcosystemChildren,
  ecosystemChildTypes,
  type EcosystemContext,
} from "./desired-children.js";
import { desiredEcosystemStatus } from "./desired-status.js";
import { gatewayAppTokenSecret } from "./gateway-app-token.js";
import { gatewayInputs } from "./gateway-inputs.js";
import { validRoutes } from "../shared/route-verdicts.js";

export interface EcosystemDeps {
  ecosystems: Informer<Ecosystem>;
  modules: Informer<EcosystemModule>;
  children: ChildApplier;
  status: StatusWriter;
  routes: Informer<BusRoute>;
  partners: Informer<PartnerIntegration>;
  /** The operator's gateway image, for an Ecosystem that names none. */
  gatewayImage: string;
  /** Keeps the gateways' ServiceAccounts allowed to check admin callers. */
  reviewers?: { sync(ecosystems: readonly Ecosystem[]): Promise<void> };
}

export async function reconcileEcosystem(key: ObjectKey, deps: EcosystemDeps): Promise<Outcome> {
  // Every Ecosystem's gateway, this one's added or gone.
  await deps.reviewers?.sync(deps.ecosystems.list());
  const ecosystem = deps.ecosystems.get(key);
  if (!ecosystem || ecosystem.metadata.deletionTimestamp) return {}; // children go with their owner
  const modules = deps.modules.byIndex(byEcosystem, key);
  const partners = deps.partners.byIndex(byEcosystem, key);
  const routes = validRoutes({
    ecosystem,
    routes: deps.routes.byIndex(byEcosystem, key),
    modules,
    partners,
  });
  const context: EcosystemContext = {
    modules,
    ...gatewayInputs(ecosystem, routes, partners),
    gatewayImage: deps.gatewayImage,
  };
  // Before the gateway's pods that read it.
  await deps.children.createOnce(ecosystem, gatewayAppTokenSecret(ecosystem));
  const applied = await deps.children.reconcile(
    ecosystem,
    desiredEcosystemChildren(ecosystem, context),
    ecosystemChildTypes,
  );
  const gateway = applied.objects.find((o) => o.kind === "Deployment") as
    DeploymentLike | undefined;
  await deps.status.write(
    ecosystem,
    desiredEcosystemStatus(ecosystem, { gateway, modules }, new Date()),
  );
  return {};
}
