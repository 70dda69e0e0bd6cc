import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem, EcosystemStatus } from "../../api/ecosystem.types.js";
import { corporateBusName, gatewayName, internalBusName } from "@symbiont/contracts";
import { mergeConditions, findCondition, type ConditionInput } from "@symbiont/contracts";
import { deploymentAvailability, type DeploymentLike } from "../shared/deployment-availability.js";
import { busOf, liveModules } from "../shared/module-bus.js";
import { busesConfigured } from "./buses-configured.js";
import { lossySettingsCondition } from "./lossy-settings.js";

// What `kubectl get eco` / `kubectl describe eco` say: pure function of the Ecosystem and
// what was observed (its gateway Deployment, the modules that name it).

export interface EcosystemObservation {
  gateway: DeploymentLike | undefined;
  modules: readonly EcosystemModule[];
}

export function desiredEcosystemStatus(
  ecosystem: Ecosystem,
  observed: EcosystemObservation,
  now: Date,
): EcosystemStatus {
  const name = ecosystem.metadata.name;
  const modules = liveModules(observed.modules);
  const ready = modules.filter(
    (m) => findCondition(m.status?.conditions, "Ready")?.status === "True",
  );
  const core = modules.filter((m) => busOf(m) === "internal").length;
  const { internalBus, corporateBus } = ecosystem.spec;

  const buses = busesConfigured(
    ecosystem,
    `internal bus ${internalBusName(name)} (${internalBus.type}) serves ${core} core module(s) and the gateway; ` +
      `corporate bus ${corporateBusName(name)} (${corporateBus.type}) serves ${modules.length - core} module(s) and the gateway`,
  );
  const gatewayState = deploymentAvailability(
    observed.gateway,
    ecosystem.spec.gateway.replicas,
    `bus gateway ${gatewayName(name)}`,
  );
  const gateway: ConditionInput = { ...gatewayState, type: "GatewayAvailable" };
  const notReady = modules.filter((m) => !ready.includes(m));
  const modulesReady: ConditionInput =
    notReady.length === 0
      ? {
          type: "ModulesReady",
          status: "True",
          reason: modules.length === 0 ? "NoModules" : "AllModulesReady",
          message:
            modules.length === 0
              ? "no EcosystemModule names this ecosystem yet; apply modules with spec.ecosystemRef.name: " +
                name
              : `all ${modules.length} module(s) are Ready`,
        }
      : {
          type: "ModulesReady",
          status: "False",
          reason: "ModulesNotReady",
          message: `${notReady.length} of ${modules.length} module(s) not Ready: ${notReady
            .slice(0, 10)
            .map(
              (m) =>
                `${m.metadata.name} (${findCondition(m.status?.conditions, "Ready")?.reason ?? "Pending"})`,
            )
            .join(", ")}${notReady.length > 10 ? ", ..." : ""}; kubectl get emod shows each reason`,
        };
  const readyCondition: ConditionInput =
    buses.status === "False"
      ? { type: "Ready", status: "False", reason: buses.reason, message: buses.message }
      : gateway.status === "True"
        ? {
            type: "Ready",
            status: "True",
            reason: "Ready",
            message: `both buses are configured and the bus gateway is available; ${ready.length}/${modules.length} module(s) Ready`,
          }
        : {
            type: "Ready",
            status: "False",
            reason: gateway.status === "Unknown" ? "GatewayPending" : "GatewayUnavailable",
            message: gateway.message,
          };

  return {
    observedGeneration: ecosystem.metadata.generation,
    conditions: mergeConditions(
      ecosystem.status?.conditions,
      [readyCondition, buses, gateway, modulesReady, lossySettingsCondition(ecosystem)],
      ecosystem.metadata.generation,
      now,
    ),
    modules: { ready: ready.length, total: modules.length },
    modulesReady: `${ready.length}/${modules.length}`,
    internalBusComponent: internalBusName(name),
    corporateBusComponent: corporateBusName(name),
    gatewayAppId: gatewayName(name),
  };
}
