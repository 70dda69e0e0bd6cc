import type { KubeObject } from "../../kube/kube-object.js";

// What the pods of a Deployment say that the Deployment does not: a container that cannot
// pull its image, cannot be configured or keeps crashing. The Deployment only reports
// "Progressing" until its deadline (10 minutes by default); the pods know at once.

export interface PodLike extends KubeObject {
  spec?: { containers?: { name: string; image?: string }[] };
  status?: {
    phase?: string;
    containerStatuses?: ContainerStatusLike[];
    initContainerStatuses?: ContainerStatusLike[];
  };
}

interface ContainerStatusLike {
  name: string;
  image?: string;
  state?: { waiting?: { reason?: string; message?: string } };
}

export interface PodProblem {
  /** CamelCase reason for the Ready condition. */
  reason: "ImagePullFailed" | "ContainerConfigInvalid" | "CrashLoopBackOff";
  message: string;
}

const problemOf: Record<string, PodProblem["reason"]> = {
  ErrImagePull: "ImagePullFailed",
  ImagePullBackOff: "ImagePullFailed",
  InvalidImageName: "ImagePullFailed",
  ErrImageNeverPull: "ImagePullFailed",
  CreateContainerConfigError: "ContainerConfigInvalid",
  CreateContainerError: "ContainerConfigInvalid",
  CrashLoopBackOff: "CrashLoopBackOff",
};

/** The first problem among the pods (sorted by name, so the answer is stable), if any. */
export function podProblem(pods: readonly PodLike[]): PodProblem | undefined {
  const sorted = [...pods]
    .filter((pod) => !pod.metadata.deletionTimestamp)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const pod of sorted) {
    const statuses = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    for (const container of statuses) {
      const waiting = container.state?.waiting;
      const reason = waiting?.reason ? problemOf[waiting.reason] : undefined;
      if (!reason || !waiting) continue;
      const image =
        container.image ?? pod.spec?.containers?.find((c) => c.name === container.name)?.image;
      const detail = waiting.message ? `: ${waiting.message}` : "";
      const pod_ = pod.metadata.name;
      const message =
        reason === "ImagePullFailed"
          ? `pod ${pod_} cannot pull image ${image ?? "?"} (${waiting.reason}${detail}); check the image name and tag, and imagePullSecrets for a private registry`
          : reason === "ContainerConfigInvalid"
            ? `container ${container.name} of pod ${pod_} cannot be created (${waiting.reason}${detail}); check the Secrets and ConfigMaps it names`
            : `container ${container.name} of pod ${pod_} keeps crashing (${waiting.reason}${detail}); see kubectl logs ${pod_} -c ${container.name} --previous`;
      return { reason, message };
    }
  }
  return undefined;
}
