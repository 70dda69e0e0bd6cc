import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";

/** Every YAML document of a file or of the *.yaml files of a folder (sorted), skipping empty ones. */
export function readManifests(path: string): KubeObject[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort()
        .map((file) => join(path, file))
    : [path];
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, "utf8"))
      .map((doc) => doc.toJSON() as KubeObject | null)
      .filter((object): object is KubeObject => Boolean(object?.kind)),
  );
}

/**
 * Server-side apply, as `kubectl apply --server-side --force-conflicts` would. The objects
 * go out as plain JSON (client-node's object API would drop keys its models do not know,
 * such as a CRD schema's `default` and `x-kubernetes-validations`).
 */
export async function applyManifests(
  kc: KubeConfig,
  objects: KubeObject[],
  fieldManager = "symbiont-harness",
  namespace?: string,
): Promise<KubeObject[]> {
  const client = new KubeClient(kc, { userAgent: fieldManager });
  const defaultNamespace =
    namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? "default";
  try {
    const applied: KubeObject[] = [];
    for (const input of objects) {
      const object = { ...input, metadata: { ...input.metadata } };
      if (object.metadata.namespace === undefined && (await client.resource(object)).namespaced) {
        object.metadata.namespace = defaultNamespace;
      }
      applied.push(await client.apply(object, { fieldManager }));
    }
    return applied;
  } finally {
    client.close();
  }
}
