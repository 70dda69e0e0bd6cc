import { describe, expect, it } from "vitest";
import { anEcosystem } from "../../testing/fixtures.js";
import { desiredReviewersBinding } from "./gateway-reviewers.js";

describe("desiredReviewersBinding", () => {
  it("then its subjects are exactly the live ecosystems' gateway ServiceAccounts, sorted", () => {
    const a = anEcosystem("zeta");
    const b = {
      ...anEcosystem("alpha"),
      metadata: { ...anEcosystem("alpha").metadata, namespace: "bank" },
    };
    const going = {
      ...anEcosystem("gone"),
      metadata: { ...anEcosystem("gone").metadata, deletionTimestamp: "2026-12-01T00:00:00Z" },
    };
    expect(desiredReviewersBinding([a, going, b])).toMatchObject({
      kind: "ClusterRoleBinding",
      metadata: { name: "symbiont-bus-gateway-reviews" },
      roleRef: { kind: "ClusterRole", name: "symbiont-bus-gateway-reviews" },
      subjects: [
        { kind: "ServiceAccount", name: "alpha-bus-gateway", namespace: "bank" },
        { kind: "ServiceAccount", name: "zeta-bus-gateway", namespace: "shop" },
      ],
    });
    expect(desiredReviewersBinding([])).toMatchObject({ subjects: [] });
  });
});
