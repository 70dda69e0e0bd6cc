import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  KubernetesObjectApi,
  PatchStrategy,
  type KubeConfig,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";

/** Every YAML document of a file or of the *.yaml files of a folder (sorted), skipping empty ones. */
export function readManifests(path: string): KubernetesObject[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort()
        .map((file) => join(path, file))
    : [path];
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, "utf8"))
      .map((doc) => doc.toJSON() as KubernetesObject | null)
      .filter((object): object is KubernetesObject => Boolean(object?.kind)),
  );
}

/** Server-side apply, as `kubectl apply --server-side --force-conflicts` would. */
export async function applyManifests(
  kc: KubeConfig,
  objects: KubernetesObject[],
  fieldManager = "symbiont-harness",
): Promise<KubernetesObject[]> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const applied: KubernetesObject[] = [];
  for (const object of objects) {
    applied.push(
      await client.patch(
        object,
        undefined,
        undefined,
        fieldManager,
        true,
        PatchStrategy.ServerSideApply,
      ),
    );
  }
  return applied;
}
