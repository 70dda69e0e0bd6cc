// Labels on everything the operator renders, so `kubectl get -l` finds an ecosystem's parts.

export const ecosystemLabel = "symbiont.dev/ecosystem";
export const moduleLabel = "symbiont.dev/module";
export const tierLabel = "symbiont.dev/tier";
export const componentLabel = "symbiont.dev/component";

export function ecosystemLabels(
  ecosystem: string,
  component: string,
  name: string,
): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": ecosystem,
    [ecosystemLabel]: ecosystem,
    [componentLabel]: component,
  };
}

/** The labels that select a module's pods: its Deployment's, Service's and PDB's selector. */
export function modulePodSelector(module: string): Record<string, string> {
  return { [moduleLabel]: module };
}

/** A matchLabels selector as the string the scale subresource gives autoscalers (`a=b,c=d`). */
export function selectorString(matchLabels: Record<string, string>): string {
  return Object.entries(matchLabels)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}
