import type { KubeObject } from "../../kube/kube-object.js";
import type { ConditionInput } from "@symbiont/contracts";
import type { PodProblem } from "./pod-problems.js";

// Whether a Deployment is available, as the condition a person reads in `kubectl describe`.

export interface DeploymentLike extends KubeObject {
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export function availableReplicas(deployment: DeploymentLike | undefined): number {
  return deployment?.status?.availableReplicas ?? 0;
}

export function deploymentAvailability(
  deployment: DeploymentLike | undefined,
  desiredReplicas: number,
  what: string,
  podProblem?: PodProblem,
): ConditionInput {
  const type = "DeploymentAvailable";
  if (!deployment) {
    return {
      type,
      status: "Unknown",
      reason: "DeploymentPending",
      message: `the Deployment of ${what} is being created`,
    };
  }
  const name = deployment.metadata.name;
  if (desiredReplicas === 0) {
    return {
      type,
      status: "True",
      reason: "ScaledToZero",
      message: `${what} is scaled to 0 replicas`,
    };
  }
  const stale =
    (deployment.status?.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0);
  const available = availableReplicas(deployment);
  const updated = deployment.status?.updatedReplicas ?? 0;
  if (!stale && available >= desiredReplicas && updated >= desiredReplicas) {
    return {
      type,
      status: "True",
      reason: "Available",
      message: `${available}/${desiredReplicas} replicas of ${what} are available`,
    };
  }
  // Pods the ReplicaSet cannot create (a quota, an admission webhook, a missing
  // ServiceAccount): the Deployment says so in ReplicaFailure, long before its deadline.
  const failure = deployment.status?.conditions?.find(
    (c) => c.type === "ReplicaFailure" && c.status === "True",
  );
  if (failure) {
    return {
      type,
      status: "False",
      reason: "ReplicaFailure",
      message: `${available}/${desiredReplicas} replicas of ${what} are available; pods cannot be created (${failure.reason ?? "FailedCreate"}): ${failure.message ?? ""}`,
    };
  }
  if (podProblem) {
    return {
      type,
      status: "False",
      reason: podProblem.reason,
      message: `${available}/${desiredReplicas} replicas of ${what} are available; ${podProblem.message}`,
    };
  }
  const stuck = deployment.status?.conditions?.find(
    (c) =>
      c.type === "Progressing" && c.status === "False" && c.reason === "ProgressDeadlineExceeded",
  );
  if (stuck) {
    return {
      type,
      status: "False",
      reason: "ProgressDeadlineExceeded",
      message: `${available}/${desiredReplicas} replicas of ${what} are available and the rollout stopped progressing: ${stuck.message ?? ""}; check kubectl describe deployment ${name} and its pods' events`,
    };
  }
  return {
    type,
    status: "False",
    reason: "Progressing",
    message: `${available}/${desiredReplicas} replicas of ${what} are available; waiting for the rollout (kubectl rollout status deployment ${name})`,
  };
}
