import { existsSync } from "node:fs";
import { join } from "node:path";
import { ApiextensionsV1Api, type KubeConfig } from "@kubernetes/client-node";
import { applyManifests, readManifests } from "./apply-manifests.js";
import { waitUntil } from "./probe.js";
import { repoRoot, toolHome } from "./tool-paths.js";

/** The Dapr kinds Symbiont writes; Dapr's chart has more (some not valid on every Kubernetes version). */
const daprCrdFiles = [
  "components.yaml",
  "subscription.yaml",
  "resiliency.yaml",
  "configuration.yaml",
];

/** Dapr's CRDs as `make tools` copied them from the daprd module's chart. */
export function daprCrdDir(): string {
  const dir = join(toolHome("daprd"), "crds");
  if (!existsSync(dir)) throw new Error(`Dapr CRDs not found in ${dir}: run \`make tools\``);
  return dir;
}

/** Which CRDs a control plane starts with: Dapr's (as on a cluster with Dapr) and Symbiont's. */
export type CrdSet = "all" | "dapr" | "none";
export const crdSets: readonly CrdSet[] = ["all", "dapr", "none"];

/** Installs Dapr's CRDs and (with "all") Symbiont's (crds/); waits until each is Established. */
export async function installCrds(kc: KubeConfig, set: CrdSet = "all"): Promise<string[]> {
  if (set === "none") return [];
  const dapr = daprCrdFiles.flatMap((file) => readManifests(join(daprCrdDir(), file)));
  const symbiont = set === "all" ? readManifests(join(repoRoot, "crds")) : [];
  const objects = [...dapr, ...symbiont].filter(
    (object) => object.kind === "CustomResourceDefinition",
  );
  await applyManifests(kc, objects);
  const names = objects.map((object) => object.metadata?.name ?? "");
  const api = kc.makeApiClient(ApiextensionsV1Api);
  for (const name of names) {
    await waitUntil(`CRD ${name} Established`, async () => {
      const crd = await api.readCustomResourceDefinition({ name });
      return Boolean(
        crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True"),
      );
    });
  }
  return names;
}
