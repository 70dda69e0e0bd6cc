import { describe, expect, it } from "vitest";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { aModule, anEcosystem } from "../../testing/fixtures.js";
import { moduleDeadLetters, routeDeadLetters } from "./dead-letter-counts.js";

const ecosystem: Ecosystem = {
  ...anEcosystem("acme"),
  status: {
    deadLetters: [
      { kind: "drop", target: "acme-internal-bus", topic: "mdm.item.changed", count: 3 },
      { kind: "drop", target: "acme-corporate-bus", topic: "mdm.item.changed", count: 5 },
      { kind: "drop", target: "acme-internal-bus", topic: "customer.merged", count: 2 },
      { kind: "drop", target: "crm", topic: "customer.merged", count: 10 },
      { kind: "drop", target: "analytics", topic: "customer.merged", count: 20 },
      { kind: "export", target: "customers-out", topic: "customer.created", count: 4 },
      { kind: "import", target: "customers-out", topic: "customer.created", count: 1 },
      { kind: "partner", target: "customers-out", topic: "customer.created", count: 7 },
    ],
  },
};

describe("dead letters by route and module", () => {
  it("when a route's crossings failed, then it counts its exports and imports, not partners of the same name", () => {
    expect(routeDeadLetters(ecosystem, "customers-out")).toBe(5);
    expect(routeDeadLetters(ecosystem, "other")).toBe(0);
    expect(routeDeadLetters(undefined, "customers-out")).toBe(0);
  });

  it.each([
    ["a core module", aModule("crm", { subscribes: [{ topic: "mdm.item.changed" }] }), 3],
    [
      "a core module on two topics",
      aModule("crm", {
        subscribes: [{ topic: "mdm.item.changed" }, { topic: "customer.merged" }],
      }),
      15,
    ],
    [
      "a front-office module (the corporate bus)",
      aModule("site", { tier: "front-office", subscribes: [{ topic: "mdm.item.changed" }] }),
      5,
    ],
    ["a module that subscribes to nothing", aModule("mdm"), 0],
    [
      "another core module on the same topic (only its own refusals and the bus's)",
      aModule("analytics", { subscribes: [{ topic: "customer.merged" }] }),
      22,
    ],
  ])(
    "when %s subscribes, then it counts the drops of its topics on its bus",
    (_what, module, count) => {
      expect(moduleDeadLetters(ecosystem, module)).toBe(count);
    },
  );
});
