import { describe, expect, it } from "vitest";
import { aModule } from "../../testing/fixtures.js";
import type { DeploymentLike } from "../shared/deployment-availability.js";
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
      replicas: 3,
      appId: "crm",
      bus: "internal",
    });
  });
});
