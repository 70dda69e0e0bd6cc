import { existsSync } from "node:fs";
import { join } from "node:path";
import { ApiextensionsV1Api, type KubeConfig } from "@kubernetes/client-node";
import { applyManifests, readManifests } from "./apply-manifests.js";
import { waitUntil } from "./probe.js";
import { repoRoot, toolHome } from "./tool-paths.js";

/** Dapr's CRDs (Component, Subscription, Resiliency, Configuration, ...) as `make tools` copied them from the daprd module. */
export function daprCrdDir(): string {
  const dir = join(toolHome("daprd"), "crds");
  if (!existsSync(dir)) throw new Error(`Dapr CRDs not found in ${dir}: run \`make tools\``);
  return dir;
}

/** Installs Symbiont's CRDs (crds/) and Dapr's, and waits until every one is Established. */
export async function installCrds(kc: KubeConfig): Promise<string[]> {
  const objects = [...readManifests(daprCrdDir()), ...readManifests(join(repoRoot, "crds"))].filter(
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
