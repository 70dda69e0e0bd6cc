import { describe, expect, it } from "vitest";
import { anEcosystem } from "../../testing/fixtures.js";
import { desiredEcosystemStatus } from "./desired-status.js";
import { lossySettings } from "./lossy-settings.js";

const now = new Date("2026-01-01T00:00:00Z");

describe("lossySettings", () => {
  it.each([
    [{}, []],
    [{ maxLenApprox: "1000" }, ["maxLenApprox=1000"]],
    [{ streamTTL: "1h", ttlInSeconds: "60" }, ["streamTTL=1h", "ttlInSeconds=60"]],
    [{ durable: "false", durableExtra: "x" }, ["durable=false"]],
    [{ durable: "true", publisherConfirm: "true", deliveryMode: "2" }, []],
    [
      { publisherConfirm: "false", deliveryMode: "1" },
      ["publisherConfirm=false", "deliveryMode=1"],
    ],
    [{ autoAck: "true", deletedWhenUnused: "true" }, ["autoAck=true", "deletedWhenUnused=true"]],
    [{ requeueInFailure: "false" }, ["requeueInFailure=false"]],
    [{ redeliverInterval: "0s" }, ["redeliverInterval=0s"]],
    [{ redeliverInterval: "1s", concurrency: "10", prefetchCount: "5" }, []],
  ])("when a bus's settings are %j, then the lossy ones are %j", (settings, expected) => {
    expect(lossySettings({ settings })).toEqual(expected);
  });
});

describe("the LossySettings condition", () => {
  it("when a bus is allowed lossy settings, then the Ecosystem says which, bus by bus", () => {
    const base = anEcosystem();
    const ecosystem = anEcosystem("acme", {
      corporateBus: {
        ...base.spec.corporateBus,
        allowLossySettings: true,
        settings: { maxLenApprox: "10000", publisherConfirm: "false" },
      },
    });
    const status = desiredEcosystemStatus(ecosystem, { gateway: undefined, modules: [] }, now);
    expect(status.conditions?.find((c) => c.type === "LossySettings")).toMatchObject({
      status: "True",
      reason: "LossySettingsAllowed",
      message:
        "corporate bus: maxLenApprox=10000, publisherConfirm=false can trim or drop messages nobody has acknowledged (allowLossySettings: true)",
    });
  });

  it("when no bus has lossy settings, then LossySettings is False", () => {
    const status = desiredEcosystemStatus(anEcosystem(), { gateway: undefined, modules: [] }, now);
    expect(status.conditions?.find((c) => c.type === "LossySettings")).toMatchObject({
      status: "False",
      reason: "DurableSettings",
    });
  });
});
