import type { EcosystemModule } from "../../operator/src/api/ecosystem-module.types.js";
import type { ModuleChild } from "../../operator/src/controllers/module/desired-children.js";
import { moduleLabel } from "../../operator/src/controllers/shared/labels.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";

// The total-queue check of the control plane (S8), from what the API server holds after the
// faults: every module created is there and Ready, its Deployment has the spec the operator's
// pure functions give, and nothing is there twice: one Deployment per module, one ReplicaSet
// per Deployment (a second one is a rollout the restarts caused), no object owned by a
// module (or carrying its label) that the module's desired children do not name.

export interface Owned extends KubeObject {
  metadata: KubeObject["metadata"] & {
    uid?: string;
    labels?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string }[];
  };
  spec?: {
    replicas?: number;
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec?: { containers?: { name: string; image?: string }[] };
    };
  };
}

export interface ChildrenCheck {
  /** Modules Ready whose children are all there, their Deployment as desired. */
  delivered: number;
  /** Second Deployments, second ReplicaSets, stray objects. */
  duplicated: number;
  problems: string[];
}

const key = (o: Pick<KubeObject, "kind"> & { metadata: { name: string } }) =>
  `${o.kind}/${o.metadata.name}`;

export function checkChildren(
  created: readonly string[],
  modules: readonly EcosystemModule[],
  desired: ReadonlyMap<string, readonly ModuleChild[]>,
  objects: readonly Owned[],
  isReady: (module: EcosystemModule) => boolean,
): ChildrenCheck {
  const problems: string[] = [];
  let duplicated = 0;
  const byUid = new Map(modules.map((m) => [m.metadata.uid, m]));
  const ownedBy = new Map<string, Owned[]>(modules.map((m) => [m.metadata.name, []]));
  const replicaSets = new Map<string, number>();
  for (const object of objects) {
    if (object.kind === "ReplicaSet") {
      const owner = object.metadata.ownerReferences?.find((o) => o.kind === "Deployment");
      if (owner) replicaSets.set(owner.uid, (replicaSets.get(owner.uid) ?? 0) + 1);
      continue;
    }
    const owner = object.metadata.ownerReferences?.find((o) => o.kind === "EcosystemModule");
    if (!owner) {
      const label = object.metadata.labels?.[moduleLabel];
      if (label) {
        duplicated += 1;
        problems.push(`${key(object)} carries module ${label}'s label but has no owner`);
      }
      continue;
    }
    const module = byUid.get(owner.uid);
    if (!module) {
      duplicated += 1;
      problems.push(`${key(object)} is owned by a module that does not exist (${owner.name})`);
      continue;
    }
    ownedBy.get(module.metadata.name)?.push(object);
  }
  for (const name of created)
    if (!modules.some((m) => m.metadata.name === name))
      problems.push(`module ${name} was created but is not there`);
  let delivered = 0;
  for (const module of modules) {
    const name = module.metadata.name;
    const children = ownedBy.get(name) ?? [];
    const wanted = desired.get(name) ?? [];
    const wantedKeys = new Set(wanted.map(key));
    const seen = new Map<string, number>();
    for (const child of children) {
      if (!wantedKeys.has(key(child))) {
        duplicated += 1;
        problems.push(`${key(child)} is owned by module ${name} but not one of its children`);
      }
      seen.set(child.kind, (seen.get(child.kind) ?? 0) + 1);
    }
    const deployments = children.filter((c) => c.kind === "Deployment");
    // Counted above: only one of them has the module's name.
    if (deployments.length > 1)
      problems.push(`module ${name} has ${deployments.length} Deployments`);
    const missing = wanted.filter((w) => !children.some((c) => key(c) === key(w)));
    for (const child of missing) problems.push(`module ${name} lacks ${key(child)}`);
    let deploymentOk = false;
    const deployment = deployments.find((d) => d.metadata.name === name);
    const wantedDeployment = wanted.find((w) => w.kind === "Deployment") as Owned | undefined;
    if (deployment && wantedDeployment) {
      const differences = deploymentDifferences(deployment, wantedDeployment);
      for (const difference of differences)
        problems.push(`module ${name}'s Deployment: ${difference}`);
      const sets = replicaSets.get(deployment.metadata.uid ?? "") ?? 0;
      if (sets > 1) {
        duplicated += sets - 1;
        problems.push(`module ${name}'s Deployment rolled out ${sets} ReplicaSets`);
      }
      deploymentOk = differences.length === 0;
    }
    if (!isReady(module)) problems.push(`module ${name} is not Ready`);
    else if (deploymentOk && missing.length === 0) delivered += 1;
  }
  return { delivered, duplicated, problems };
}

/** What a Deployment's spec says differently from the desired one, in words. */
function deploymentDifferences(actual: Owned, wanted: Owned): string[] {
  const differences: string[] = [];
  if (actual.spec?.replicas !== wanted.spec?.replicas)
    differences.push(`replicas ${actual.spec?.replicas}, want ${wanted.spec?.replicas}`);
  const annotations = actual.spec?.template?.metadata?.annotations ?? {};
  for (const [name, value] of Object.entries(wanted.spec?.template?.metadata?.annotations ?? {}))
    if (annotations[name] !== value)
      differences.push(`pod annotation ${name}=${annotations[name]}, want ${value}`);
  const images = new Map(
    (actual.spec?.template?.spec?.containers ?? []).map((c) => [c.name, c.image]),
  );
  for (const container of wanted.spec?.template?.spec?.containers ?? [])
    if (images.get(container.name) !== container.image)
      differences.push(
        `container ${container.name} image ${images.get(container.name)}, want ${container.image}`,
      );
  return differences;
}
