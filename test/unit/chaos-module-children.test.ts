import { describe, expect, it } from "vitest";
import { checkChildren, type Owned } from "../../dev/chaos/module-children-check.js";
import type { EcosystemModule } from "../../operator/src/api/ecosystem-module.types.js";
import { desiredModuleChildren } from "../../operator/src/controllers/module/desired-children.js";
import { aModule, anEcosystem } from "../../operator/src/testing/fixtures.js";

// S8's check of what the API server holds after the operator and the API server were hit.

const ecosystem = anEcosystem();
const ready = (module: EcosystemModule): EcosystemModule => ({
  ...module,
  status: {
    conditions: [
      {
        type: "Ready",
        status: "True",
        reason: "Available",
        message: "",
        observedGeneration: 1,
        lastTransitionTime: "2026-12-02T00:00:00Z",
      },
    ],
  } as EcosystemModule["status"],
});
const isReady = (m: EcosystemModule) =>
  Boolean(m.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));

/** The module's children as the API server holds them: owned, with uids, one ReplicaSet each. */
function held(module: EcosystemModule): Owned[] {
  const children = desiredModuleChildren(module, ecosystem).map(
    (child) =>
      ({
        ...child,
        metadata: {
          ...child.metadata,
          uid: `uid-${child.kind}-${child.metadata.name}`,
          ownerReferences: [
            {
              apiVersion: "symbiont.dev/v1alpha1",
              kind: "EcosystemModule",
              name: module.metadata.name,
              uid: module.metadata.uid!,
            },
          ],
        },
      }) as Owned,
  );
  const deployment = children.find((c) => c.kind === "Deployment")!;
  return [...children, replicaSetOf(deployment, "1")];
}

const replicaSetOf = (deployment: Owned, hash: string): Owned => ({
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  metadata: {
    name: `${deployment.metadata.name}-${hash}`,
    namespace: "shop",
    ownerReferences: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: deployment.metadata.name,
        uid: deployment.metadata.uid!,
      },
    ],
  },
});

const crm = aModule("crm");
const mdm = aModule("mdm");
const desired = new Map(
  [crm, mdm].map((m) => [m.metadata.name, desiredModuleChildren(m, ecosystem)]),
);

describe("S8: the control plane's total-queue check", () => {
  it("when every module is Ready with its children once, then all are delivered and nothing is duplicated", () => {
    expect(
      checkChildren(
        ["crm", "mdm"],
        [ready(crm), ready(mdm)],
        desired,
        [...held(crm), ...held(mdm)],
        isReady,
      ),
    ).toEqual({ delivered: 2, duplicated: 0, problems: [] });
  });

  it("when a module is missing, one is not Ready and one lacks its Service, then they are not delivered and each is named", () => {
    const check = checkChildren(
      ["crm", "mdm", "files"],
      [crm, ready(mdm)],
      desired,
      [...held(crm), ...held(mdm).filter((o) => o.kind !== "Service")],
      isReady,
    );
    expect(check.delivered).toBe(0);
    expect(check.duplicated).toBe(0);
    expect(check.problems).toEqual([
      "module files was created but is not there",
      "module crm is not Ready",
      "module mdm lacks Service/mdm",
    ]);
  });

  it("when a module has a second Deployment, its Deployment a second ReplicaSet, and an object outlived its module, then each counts as duplicated", () => {
    const objects = held(crm);
    const deployment = objects.find((o) => o.kind === "Deployment")!;
    const second = {
      ...deployment,
      metadata: { ...deployment.metadata, name: "crm-2", uid: "uid-second" },
    };
    const orphan = {
      ...deployment,
      metadata: {
        ...deployment.metadata,
        name: "gone",
        uid: "uid-gone",
        ownerReferences: [
          {
            apiVersion: "symbiont.dev/v1alpha1",
            kind: "EcosystemModule",
            name: "gone",
            uid: "uid-gone-module",
          },
        ],
      },
    };
    const check = checkChildren(
      ["crm"],
      [ready(crm)],
      desired,
      [...objects, second, orphan, replicaSetOf(deployment, "2")],
      isReady,
    );
    expect(check.duplicated).toBe(3);
    expect(check.problems).toEqual([
      "Deployment/gone is owned by a module that does not exist (gone)",
      "Deployment/crm-2 is owned by module crm but not one of its children",
      "module crm has 2 Deployments",
      "module crm's Deployment rolled out 2 ReplicaSets",
    ]);
  });

  it("when a Deployment's image or replicas differ from the desired spec, then the module is not delivered and the difference is named", () => {
    const objects = held(crm).map((o) =>
      o.kind === "Deployment" ? ({ ...o, spec: { ...o.spec, replicas: 2 } } as Owned) : o,
    );
    const check = checkChildren(["crm"], [ready(crm)], desired, objects, isReady);
    expect(check.delivered).toBe(0);
    expect(check.problems).toEqual(["module crm's Deployment: replicas 2, want 1"]);
  });
});
