import { describe, expect, it } from "vitest";
import { aModule } from "../../testing/fixtures.js";
import type { DeploymentLike } from "../shared/deployment-availability.js";
import type { PodLike } from "../shared/pod-problems.js";
import { desiredModuleStatus } from "./desired-status.js";

const now = new Date("2026-01-01T00:00:00Z");
const deployment = (available: number, generation = 1, observed = 1): DeploymentLike => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "crm", generation },
  status: {
    observedGeneration: observed,
    availableReplicas: available,
    updatedReplicas: available,
    replicas: available,
  },
});

const failing = (reason: string, message: string): DeploymentLike => ({
  ...deployment(0),
  status: {
    ...deployment(0).status,
    conditions: [{ type: "ReplicaFailure", status: "True", reason, message }],
  },
});
const waitingPod = (name: string, reason: string, message?: string): PodLike => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels: { "symbiont.dev/module": "crm" } },
  spec: { containers: [{ name: "module", image: "ghcr.io/symbiont-dev/crm:0.1.0" }] },
  status: {
    phase: "Pending",
    containerStatuses: [
      {
        name: "module",
        image: "ghcr.io/symbiont-dev/crm:0.1.0",
        state: { waiting: { reason, ...(message ? { message } : {}) } },
      },
    ],
  },
});

describe("desiredModuleStatus", () => {
  it.each([
    {
      what: "no Ecosystem",
      observed: { ecosystemFound: false as const },
      replicas: 1,
      ready: "False",
      reason: "EcosystemNotFound",
    },
    {
      what: "no Deployment yet",
      observed: { ecosystemFound: true as const, deployment: undefined },
      replicas: 1,
      ready: "False",
      reason: "DeploymentPending",
    },
    {
      what: "1 of 2 available",
      observed: { ecosystemFound: true as const, deployment: deployment(1) },
      replicas: 2,
      ready: "False",
      reason: "DeploymentUnavailable",
    },
    {
      what: "2 of 2 available",
      observed: { ecosystemFound: true as const, deployment: deployment(2) },
      replicas: 2,
      ready: "True",
      reason: "Ready",
    },
    {
      what: "a stale Deployment status",
      observed: { ecosystemFound: true as const, deployment: deployment(2, 2, 1) },
      replicas: 2,
      ready: "False",
      reason: "DeploymentUnavailable",
    },
    {
      what: "scaled to zero",
      observed: { ecosystemFound: true as const, deployment: deployment(0) },
      replicas: 0,
      ready: "True",
      reason: "ScaledToZero",
    },
    {
      what: "pods the ReplicaSet may not create",
      observed: {
        ecosystemFound: true as const,
        deployment: failing("FailedCreate", 'pods "crm-1" is forbidden: exceeded quota: none'),
      },
      replicas: 1,
      ready: "False",
      reason: "ReplicaFailure",
    },
    {
      what: "a pod that cannot pull its image",
      observed: {
        ecosystemFound: true as const,
        deployment: deployment(0),
        pods: [waitingPod("crm-1", "ErrImagePull", "not found")],
      },
      replicas: 1,
      ready: "False",
      reason: "ImagePullFailed",
    },
    {
      what: "a pod in image pull back-off",
      observed: {
        ecosystemFound: true as const,
        deployment: deployment(0),
        pods: [waitingPod("crm-1", "ImagePullBackOff")],
      },
      replicas: 1,
      ready: "False",
      reason: "ImagePullFailed",
    },
    {
      what: "a pod whose Secret is missing",
      observed: {
        ecosystemFound: true as const,
        deployment: deployment(0),
        pods: [waitingPod("crm-1", "CreateContainerConfigError", 'secret "db" not found')],
      },
      replicas: 1,
      ready: "False",
      reason: "ContainerConfigInvalid",
    },
    {
      what: "a crash-looping pod",
      observed: {
        ecosystemFound: true as const,
        deployment: deployment(0),
        pods: [waitingPod("crm-1", "CrashLoopBackOff")],
      },
      replicas: 1,
      ready: "False",
      reason: "CrashLoopBackOff",
    },
    {
      what: "a pod still creating its container",
      observed: {
        ecosystemFound: true as const,
        deployment: deployment(0),
        pods: [waitingPod("crm-1", "ContainerCreating")],
      },
      replicas: 1,
      ready: "False",
      reason: "DeploymentUnavailable",
    },
    {
      what: "all replicas available beside a new pod that cannot pull",
      observed: {
        ecosystemFound: true as const,
        deployment: deployment(2),
        pods: [waitingPod("crm-3", "ErrImagePull")],
      },
      replicas: 2,
      ready: "True",
      reason: "Ready",
    },
  ])("with $what, then Ready=$ready ($reason)", ({ observed, replicas, ready, reason }) => {
    const status = desiredModuleStatus(aModule("crm", { replicas }), observed, now);
    const condition = status.conditions?.find((c) => c.type === "Ready");
    expect(condition).toMatchObject({ status: ready, reason, observedGeneration: 1 });
    expect(condition?.message.length).toBeGreaterThan(20);
  });

  it("when the Ecosystem is missing, then the message names it and says what to do", () => {
    const module = aModule("crm", { ecosystemRef: { name: "acme" } });
    const status = desiredModuleStatus(module, { ecosystemFound: false }, now);
    expect(status.conditions?.[0]?.message).toMatch(
      /Ecosystem acme does not exist in namespace shop; create it/,
    );
  });

  it("when the status does not flip, then lastTransitionTime is kept; when it flips, it moves", () => {
    const module = aModule("crm");
    const first = desiredModuleStatus(
      module,
      { ecosystemFound: true, deployment: deployment(0) },
      now,
    );
    const later = new Date("2026-01-01T01:00:00Z");
    const same = desiredModuleStatus(
      { ...module, status: first },
      { ecosystemFound: true, deployment: deployment(0) },
      later,
    );
    expect(same.conditions?.[0]?.lastTransitionTime).toBe("2026-01-01T00:00:00Z");
    const flipped = desiredModuleStatus(
      { ...module, status: first },
      { ecosystemFound: true, deployment: deployment(1) },
      later,
    );
    expect(flipped.conditions?.[0]).toMatchObject({
      status: "True",
      lastTransitionTime: "2026-01-01T01:00:00Z",
    });
  });

  it("then replicasReady shows available/desired for kubectl get", () => {
    const status = desiredModuleStatus(
      aModule("crm", { replicas: 3 }),
      { ecosystemFound: true, deployment: deployment(2) },
      now,
    );
    expect(status).toMatchObject({
      replicasReady: "2/3",
      availableReplicas: 2,
      appId: "crm",
      bus: "internal",
    });
  });

  it("then the scale subresource reads the Deployment's replicas and the pods' selector", () => {
    const scaling = { ...deployment(2), status: { ...deployment(2).status, replicas: 3 } };
    const status = desiredModuleStatus(
      aModule("crm", { replicas: 5 }),
      { ecosystemFound: true, deployment: scaling },
      now,
    );
    expect(status).toMatchObject({ replicas: 3, selector: "symbiont.dev/module=crm" });
    const pending = desiredModuleStatus(
      aModule("crm", { replicas: 5 }),
      { ecosystemFound: true, deployment: undefined },
      now,
    );
    expect(pending).toMatchObject({ replicas: 0, selector: "symbiont.dev/module=crm" });
  });

  it("when a pod cannot pull its image, then the message names the pod, the image and what to check", () => {
    const status = desiredModuleStatus(
      aModule("crm"),
      {
        ecosystemFound: true,
        deployment: deployment(0),
        pods: [
          waitingPod("crm-b", "ImagePullBackOff"),
          waitingPod("crm-a", "ErrImagePull", "manifest for crm:0.9 not found"),
        ],
      },
      now,
    );
    const ready = status.conditions?.find((c) => c.type === "Ready");
    expect(ready?.message).toBe(
      "0/1 replicas of module crm are available; pod crm-a cannot pull image ghcr.io/symbiont-dev/crm:0.1.0 (ErrImagePull: manifest for crm:0.9 not found); check the image name and tag, and imagePullSecrets for a private registry",
    );
    expect(status.conditions?.find((c) => c.type === "DeploymentAvailable")?.reason).toBe(
      "ImagePullFailed",
    );
  });

  it("when pods cannot be created, then the message quotes the API server's refusal", () => {
    const status = desiredModuleStatus(
      aModule("crm"),
      {
        ecosystemFound: true,
        deployment: failing("FailedCreate", 'pods "crm-1" is forbidden: exceeded quota: none'),
      },
      now,
    );
    expect(status.conditions?.find((c) => c.type === "Ready")?.message).toContain(
      'pods cannot be created (FailedCreate): pods "crm-1" is forbidden: exceeded quota: none',
    );
  });
});
