import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { parseKey, type ObjectKey } from "../../kube/kube-object.js";
import type { ChildApplier } from "../../runtime/child-applier.js";
import type { Outcome } from "../../runtime/controller.js";
import type { Informer } from "../../runtime/informer.js";
import type { StatusWriter } from "../../runtime/status-writer.js";
import type { DeploymentLike } from "../shared/deployment-availability.js";
import { moduleDeadLetters } from "../shared/dead-letter-counts.js";
import { byModule } from "../shared/indexes.js";
import type { PodLike } from "../shared/pod-problems.js";
import { desiredModuleChildren, moduleChildTypes } from "./desired-children.js";
import { desiredModuleStatus } from "./desired-status.js";
import { foreignBusSecret } from "./foreign-bus-secret.js";
import { ReconcileError } from "../../runtime/reconcile-error.js";

export interface ModuleDeps {
  modules: Informer<EcosystemModule>;
  ecosystems: Informer<Ecosystem>;
  children: ChildApplier;
  status: StatusWriter;
  /** The modules' pods (labelled symbiont.dev/module), indexed byModule. */
  pods?: Informer<PodLike>;
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
  const foreign = foreignBusSecret(module, ecosystem);
  if (foreign) throw new ReconcileError("ForeignBusSecret", foreign, true);
  const applied = await deps.children.reconcile(
    module,
    desiredModuleChildren(module, ecosystem),
    moduleChildTypes,
  );
  const deployment = applied.objects.find((o) => o.kind === "Deployment") as
    DeploymentLike | undefined;
  await deps.status.write(
    module,
    desiredModuleStatus(
      module,
      {
        ecosystemFound: true,
        deployment,
        pods: deps.pods?.byIndex(byModule, key),
        deadLetters: moduleDeadLetters(ecosystem, module),
      },
      new Date(),
    ),
  );
  return {};
}
