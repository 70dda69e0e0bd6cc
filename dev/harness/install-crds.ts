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

/** Installs Symbiont's CRDs (crds/) and Dapr's, and waits until every one is Established. */
export async function installCrds(kc: KubeConfig): Promise<string[]> {
  const dapr = daprCrdFiles.flatMap((file) => readManifests(join(daprCrdDir(), file)));
  const objects = [...dapr, ...readManifests(join(repoRoot, "crds"))].filter(
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
