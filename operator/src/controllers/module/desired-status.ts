import type { EcosystemModule, EcosystemModuleStatus } from "../../api/ecosystem-module.types.js";
import { mergeConditions, type ConditionInput } from "@symbiont/contracts";
import {
  availableReplicas,
  deploymentAvailability,
  type DeploymentLike,
} from "../shared/deployment-availability.js";
import { modulePodSelector, selectorString } from "../shared/labels.js";
import { busOf } from "../shared/module-bus.js";
import { podProblem, type PodLike } from "../shared/pod-problems.js";

// What `kubectl get emod` / `kubectl describe emod` say about a module.

export type ModuleObservation =
  | { ecosystemFound: false }
  | {
      ecosystemFound: true;
      deployment: DeploymentLike | undefined;
      /** The module's pods, for what they know before the Deployment does. */
      pods?: readonly PodLike[];
      /** Dead letters of the topics it subscribes to, as the bus gateway reports them. */
      deadLetters?: number;
    };

/** Reasons the Deployment or its pods give that Ready repeats as they are. */
const passedOn = new Set([
  "DeploymentPending",
  "ReplicaFailure",
  "ImagePullFailed",
  "ContainerConfigInvalid",
  "CrashLoopBackOff",
]);

export function desiredModuleStatus(
  module: EcosystemModule,
  observed: ModuleObservation,
  now: Date,
): EcosystemModuleStatus {
  const replicas = module.spec.replicas;
  const conditions: ConditionInput[] = [];
  let available = 0;
  let current = 0;
  if (!observed.ecosystemFound) {
    const eco = module.spec.ecosystemRef.name;
    conditions.push({
      type: "Ready",
      status: "False",
      reason: "EcosystemNotFound",
      message: `Ecosystem ${eco} does not exist in namespace ${module.metadata.namespace}; create it (kind: Ecosystem, name: ${eco}) or fix spec.ecosystemRef.name. The module is deployed as soon as the Ecosystem appears.`,
    });
  } else {
    available = availableReplicas(observed.deployment);
    current = observed.deployment?.status?.replicas ?? 0;
    const deployment = deploymentAvailability(
      observed.deployment,
      replicas,
      `module ${module.metadata.name}`,
      podProblem(observed.pods ?? []),
    );
    conditions.push(
      deployment.status === "True"
        ? {
            type: "Ready",
            status: "True",
            reason: deployment.reason === "ScaledToZero" ? "ScaledToZero" : "Ready",
            message: `${deployment.message}; on the ${busOf(module)} bus`,
          }
        : {
            type: "Ready",
            status: "False",
            reason: passedOn.has(deployment.reason) ? deployment.reason : "DeploymentUnavailable",
            message: deployment.message,
          },
      deployment,
    );
  }
  return {
    observedGeneration: module.metadata.generation,
    conditions: mergeConditions(
      module.status?.conditions,
      conditions,
      module.metadata.generation,
      now,
    ),
    appId: module.metadata.name,
    bus: busOf(module),
    // The scale subresource: what the Deployment runs, and how autoscalers find its pods.
    replicas: current,
    selector: selectorString(modulePodSelector(module.metadata.name)),
    availableReplicas: available,
    replicasReady: `${available}/${replicas}`,
    ...(observed.ecosystemFound && observed.deadLetters !== undefined
      ? { deadLetters: observed.deadLetters }
      : {}),
  };
}
