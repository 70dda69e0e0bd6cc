import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { parseKey, type ObjectKey } from "../../kube/kube-object.js";
import type { ChildApplier } from "../../runtime/child-applier.js";
import type { Outcome } from "../../runtime/controller.js";
import type { Informer } from "../../runtime/informer.js";
import type { StatusWriter } from "../../runtime/status-writer.js";
import type { DeploymentLike } from "../shared/deployment-availability.js";
import { desiredModuleChildren, moduleChildTypes } from "./desired-children.js";
import { desiredModuleStatus } from "./desired-status.js";

export interface ModuleDeps {
  modules: Informer<EcosystemModule>;
  ecosystems: Informer<Ecosystem>;
  children: ChildApplier;
  status: StatusWriter;
}

export async function reconcileModule(key: ObjectKey, deps: ModuleDeps): Promise<Outcome> {
  const module = deps.modules.get(key);
  if (!module || module.metadata.deletionTimestamp) return {}; // children go with their owner
  const { namespace } = parseKey(key);
  const ecosystem = deps.ecosystems.get(`${namespace}/${module.spec.ecosystemRef.name}`);
  if (!ecosystem) {
    // Retried by the Ecosystem watch when it appears, not by a timer.
    await deps.status.write(
      module,
      desiredModuleStatus(module, { ecosystemFound: false }, new Date()),
    );
    return {};
  }
  const applied = await deps.children.reconcile(
    module,
    desiredModuleChildren(module, ecosystem),
    moduleChildTypes,
  );
  const deployment = applied.objects.find((o) => o.kind === "Deployment") as
    DeploymentLike | undefined;
  await deps.status.write(
    module,
    desiredModuleStatus(module, { ecosystemFound: true, deployment }, new Date()),
  );
  return {};
}
