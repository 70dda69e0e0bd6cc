import type { Ecosystem } from "../../api/ecosystem.types.js";
import { coreIsolationPolicyName } from "../../dapr/names.js";
import type { NetworkPolicy } from "../../kube/kube-models.js";
import { componentLabel, ecosystemLabel, ecosystemLabels, tierLabel } from "../shared/labels.js";

// Core pods accept traffic only from the ecosystem's core pods and its bus gateway
// (MISSION A3/A4); Prometheus in a namespace labelled symbiont.dev/scrape=true may read the
// Dapr sidecar metrics port.

export const scrapeNamespaceLabel = "symbiont.dev/scrape";

export function desiredNetworkPolicies(ecosystem: Ecosystem): NetworkPolicy[] {
  if (!ecosystem.spec.security.networkPolicies) return [];
  const name = ecosystem.metadata.name;
  const core = { [ecosystemLabel]: name, [tierLabel]: "core" };
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: {
        name: coreIsolationPolicyName(name),
        namespace: ecosystem.metadata.namespace,
        labels: ecosystemLabels(name, "network-policy", coreIsolationPolicyName(name)),
      },
      spec: {
        podSelector: { matchLabels: core },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              { podSelector: { matchLabels: core } },
              {
                podSelector: {
                  matchLabels: { [ecosystemLabel]: name, [componentLabel]: "bus-gateway" },
                },
              },
            ],
          },
          {
            from: [{ namespaceSelector: { matchLabels: { [scrapeNamespaceLabel]: "true" } } }],
            ports: [{ protocol: "TCP", port: 9090 }],
          },
        ],
      },
    },
  ];
}
