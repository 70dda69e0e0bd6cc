// Informer indexes shared by the controllers.

import { moduleLabel } from "./labels.js";

/** Objects (modules, routes, partners) by the "namespace/name" of the Ecosystem they name. */
export const byEcosystem = "ecosystem";

export function ecosystemKeyOf(object: {
  metadata: { namespace?: string };
  spec: { ecosystemRef: { name: string } };
}): string {
  return `${object.metadata.namespace}/${object.spec.ecosystemRef.name}`;
}

/** Pods by the "namespace/name" of the module whose label they carry. */
export const byModule = "module";

export function moduleKeyOfPod(pod: {
  metadata: { namespace?: string; labels?: Record<string, string> };
}): string[] {
  const module = pod.metadata.labels?.[moduleLabel];
  return module ? [`${pod.metadata.namespace}/${module}`] : [];
}

/** The Ecosystem an object names, and the one it named before the change. */
export function ecosystemKeysOf(
  object: Parameters<typeof ecosystemKeyOf>[0],
  previous?: Parameters<typeof ecosystemKeyOf>[0],
): string[] {
  return previous ? [ecosystemKeyOf(object), ecosystemKeyOf(previous)] : [ecosystemKeyOf(object)];
}
