import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { ObjectKey } from "../../kube/kube-object.js";
import type { ChildApplier } from "../../runtime/child-applier.js";
import type { Outcome } from "../../runtime/controller.js";
import type { Informer } from "../../runtime/informer.js";
import type { StatusWriter } from "../../runtime/status-writer.js";
import type { DeploymentLike } from "../deployment-availability.js";
import {
  desiredEcosystemChildren,
  ecosystemChildTypes,
  type EcosystemContext,
} from "./desired-children.js";
import { desiredEcosystemStatus } from "./desired-status.js";

export const modulesByEcosystem = "ecosystem";

export interface EcosystemDeps {
  ecosystems: Informer<Ecosystem>;
  modules: Informer<EcosystemModule>;
  children: ChildApplier;
  status: StatusWriter;
  /** Routes, partners and partner secrets that belong to the ecosystem (BusRoute, PartnerIntegration). */
  gatewayInputs: (ecosystem: Ecosystem) => Omit<EcosystemContext, "modules">;
}

export async function reconcileEcosystem(key: ObjectKey, deps: EcosystemDeps): Promise<Outcome> {
  const ecosystem = deps.ecosystems.get(key);
  if (!ecosystem || ecosystem.metadata.deletionTimestamp) return {}; // children go with their owner
  const modules = deps.modules.byIndex(modulesByEcosystem, key);
  const context: EcosystemContext = { modules, ...deps.gatewayInputs(ecosystem) };
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
