// Informer indexes shared by the controllers.

/** Objects (modules, routes, partners) by the "namespace/name" of the Ecosystem they name. */
export const byEcosystem = "ecosystem";

export function ecosystemKeyOf(object: {
  metadata: { namespace?: string };
  spec: { ecosystemRef: { name: string } };
}): string {
  return `${object.metadata.namespace}/${object.spec.ecosystemRef.name}`;
}
