import { describe, expect, it } from "vitest";
import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import { aModule, anEcosystem } from "../../testing/fixtures.js";
import type { DeploymentLike } from "../shared/deployment-availability.js";
import { desiredEcosystemStatus } from "./desired-status.js";

const now = new Date("2026-01-01T00:00:00Z");
const gateway = (available: number): DeploymentLike => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "acme-bus-gateway", generation: 1 },
  status: { observedGeneration: 1, availableReplicas: available, updatedReplicas: available },
});
const readyModule = (
  name: string,
  ready: boolean,
  reason = ready ? "Ready" : "EcosystemNotFound",
): EcosystemModule => ({
  ...aModule(name),
  status: {
    conditions: [
      {
        type: "Ready",
        status: ready ? "True" : "False",
        reason,
        message: "m",
        lastTransitionTime: "2026-01-01T00:00:00Z",
      },
    ],
  },
});

describe("desiredEcosystemStatus", () => {
  it("when the gateway is available, then Ready=True and the module count shows ready/total", () => {
    const status = desiredEcosystemStatus(
      anEcosystem(),
      { gateway: gateway(1), modules: [readyModule("crm", true), readyModule("mdm", false)] },
      now,
    );
    expect(status.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "True",
      reason: "Ready",
    });
    expect(status.modulesReady).toBe("1/2");
    expect(status.conditions?.find((c) => c.type === "ModulesReady")).toMatchObject({
      status: "False",
      reason: "ModulesNotReady",
    });
    expect(status.conditions?.find((c) => c.type === "ModulesReady")?.message).toContain(
      "mdm (EcosystemNotFound)",
    );
  });

  it.each([
    { gw: undefined, reason: "GatewayPending" },
    { gw: gateway(0), reason: "GatewayUnavailable" },
  ])("when the gateway is not available, then Ready=False with $reason", ({ gw, reason }) => {
    const status = desiredEcosystemStatus(anEcosystem(), { gateway: gw, modules: [] }, now);
    expect(status.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason,
    });
  });

  it("when no module names the ecosystem, then ModulesReady says how to add one", () => {
    const status = desiredEcosystemStatus(anEcosystem(), { gateway: gateway(1), modules: [] }, now);
    expect(status.conditions?.find((c) => c.type === "ModulesReady")).toMatchObject({
      status: "True",
      reason: "NoModules",
    });
    expect(status.modulesReady).toBe("0/0");
  });

  it("then BusesConfigured names both components and counts who is on each", () => {
    const modules = [
      readyModule("crm", true),
      {
        ...readyModule("site", true),
        spec: { ...aModule("site").spec, tier: "front-office" as const },
      },
    ];
    const status = desiredEcosystemStatus(anEcosystem(), { gateway: gateway(1), modules }, now);
    expect(status.conditions?.find((c) => c.type === "BusesConfigured")?.message).toBe(
      "internal bus acme-internal-bus (redis) serves 1 core module(s) and the gateway; corporate bus acme-corporate-bus (rabbitmq) serves 1 module(s) and the gateway",
    );
  });

  it.each([
    {
      what: "no report from the gateway yet",
      sidecar: undefined,
      status: "True",
      reason: "ComponentsRendered",
      message: /^internal bus acme-internal-bus/,
    },
    {
      what: "a sidecar that loaded everything",
      sidecar: { reachable: true, neededComponents: ["acme-corporate-bus", "acme-internal-bus"] },
      status: "True",
      reason: "ComponentsLoaded",
      message: /the bus gateway's sidecar has loaded its 2 component\(s\)$/,
    },
    {
      what: "a sidecar without a component",
      sidecar: {
        reachable: true,
        neededComponents: ["acme-corporate-bus", "acme-internal-bus"],
        missingComponents: ["acme-internal-bus"],
      },
      status: "False",
      reason: "ComponentLoadFailed",
      message:
        /has not loaded component\(s\) acme-internal-bus: .*`kubectl logs deploy\/acme-bus-gateway -c daprd` says why/,
    },
    {
      what: "a silent sidecar",
      sidecar: { reachable: false, neededComponents: ["acme-corporate-bus", "acme-internal-bus"] },
      status: "False",
      reason: "SidecarUnavailable",
      message:
        /daprd exits when a component fails to initialise \(it loads acme-corporate-bus, acme-internal-bus\); `kubectl logs deploy\/acme-bus-gateway -c daprd --previous` names/,
    },
  ])(
    "with $what, then BusesConfigured is $status ($reason) and Ready follows a failure",
    ({ sidecar, status, reason, message }) => {
      const ecosystem = anEcosystem();
      const reported = sidecar ? { ...ecosystem, status: { gatewaySidecar: sidecar } } : ecosystem;
      const result = desiredEcosystemStatus(
        reported,
        { gateway: gateway(1), modules: [readyModule("crm", true)] },
        now,
      );
      const buses = result.conditions?.find((c) => c.type === "BusesConfigured");
      expect(buses).toMatchObject({ status, reason });
      expect(buses?.message).toMatch(message);
      const ready = result.conditions?.find((c) => c.type === "Ready");
      if (status === "False") expect(ready).toMatchObject({ status: "False", reason });
      else expect(ready).toMatchObject({ status: "True" });
    },
  );
});
