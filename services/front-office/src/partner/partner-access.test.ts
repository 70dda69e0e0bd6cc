import { describe, expect, it } from "vitest";
import { maySee, viewerScope, type Viewer } from "./partner-access.js";

describe("who sees what in the partner cabinets", () => {
  it.each<[string, Viewer, "marketplace" | "company", string]>([
    [
      "a marketplace partner's person",
      { roles: ["marketplace-partner"], partnerId: "cleanco" },
      "marketplace",
      "partner:cleanco",
    ],
    [
      "a company partner's person",
      { roles: ["company-partner"], partnerId: "swift-couriers" },
      "company",
      "partner:swift-couriers",
    ],
    ["a manager", { roles: ["manager"] }, "marketplace", "all"],
    [
      "a manager who is also a partner's person",
      { roles: ["manager", "company-partner"], partnerId: "pm-1" },
      "company",
      "partner:pm-1",
    ],
    ["a customer", { roles: ["customer"] }, "marketplace", "refused"],
    [
      "a company partner in the marketplace cabinet",
      { roles: ["company-partner"], partnerId: "pm-1" },
      "marketplace",
      "refused",
    ],
    [
      "a marketplace partner without a partner id",
      { roles: ["marketplace-partner"] },
      "marketplace",
      "refused",
    ],
  ])("when %s opens the %s cabinet, then the scope is %s", (_who, viewer, cabinet, expected) => {
    const scope = viewerScope(viewer, cabinet);
    expect(scope.kind === "partner" ? `partner:${scope.partnerId}` : scope.kind).toBe(expected);
  });

  it("when a partner asks for another partner's object, then it may not see it; its own it may", () => {
    const scope = viewerScope(
      { roles: ["marketplace-partner"], partnerId: "cleanco" },
      "marketplace",
    );
    expect(maySee(scope, "cleanco")).toBe(true);
    expect(maySee(scope, "fastfix")).toBe(false);
  });

  it("when a manager asks for any partner's object, then it may see it; a refused viewer sees none", () => {
    expect(maySee(viewerScope({ roles: ["manager"] }, "company"), "fastfix")).toBe(true);
    expect(maySee(viewerScope({ roles: ["customer"] }, "company"), "fastfix")).toBe(false);
  });

  it("when a viewer is refused, then the reason says who the cabinet is for", () => {
    expect(viewerScope({ roles: ["customer"] }, "company")).toEqual({
      kind: "refused",
      reason: "this cabinet is for company partners and the company's managers",
    });
  });
});
