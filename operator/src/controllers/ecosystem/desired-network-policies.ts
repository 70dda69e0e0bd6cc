import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import {
  coreEgressPolicyName,
  moduleDatabasePolicyName,
  coreIsolationPolicyName,
  corporateEgressPolicyName,
  gatewayEgressPolicyName,
} from "../../dapr/names.js";
import type { NetworkPolicy } from "../../kube/kube-models.js";
import {
  componentLabel,
  ecosystemLabel,
  ecosystemLabels,
  moduleLabel,
  tierLabel,
} from "../shared/labels.js";
import { busOf, liveModules } from "../shared/module-bus.js";
import { daprMetricsPort } from "../shared/pod-template.js";

// The ecosystem's network isolation (MISSION A3/A4), when spec.security.networkPolicies:
// - core pods accept traffic only from core pods, the bus gateway and monitoring (which may
//   reach the "http" port the chart's PodMonitor scrapes and the sidecar's metrics port);
// - core pods reach only DNS, the Dapr control plane, the internal broker and the databases;
// - modules outside the core reach DNS, the Dapr control plane, the corporate broker, the
//   databases and what corporateEgress names; they never reach core pods (core ingress);
// - the gateway, the only pod on both buses, reaches both brokers, the databases and partners.
// Peers come from spec.security.network (label selectors or CIDRs, CRD defaults). With
// network.databaseOwnerLabel, a core pod reaches only the database pods labelled with its own
// module's name: the core policy keeps only the databases' CIDRs, and each core module gets a
// policy of its own for its databases (NetworkPolicies add up, so the narrowing must be there).

type Network = Ecosystem["spec"]["security"]["network"];
export type NetworkPeer = Network["dns"];

/** The port name the chart's PodMonitor scrapes (/metrics on every module and gateway pod). */
export const scrapePortName = "http";

interface Rule {
  to?: object[];
  from?: object[];
  ports?: { protocol: string; port: number | string }[];
}

/** A peer as NetworkPolicy peers; empty when it names nothing (an empty list would mean everyone). */
function peersOf(peer: NetworkPeer): object[] {
  const blocks = (peer.ipBlocks ?? []).map((cidr) => ({ ipBlock: { cidr } }));
  const hasNamespaces = peer.namespaceLabels && Object.keys(peer.namespaceLabels).length > 0;
  const hasPods = peer.podLabels && Object.keys(peer.podLabels).length > 0;
  if (!hasNamespaces && !hasPods) return blocks;
  return [
    ...blocks,
    {
      ...(hasNamespaces ? { namespaceSelector: { matchLabels: peer.namespaceLabels } } : {}),
      ...(hasPods ? { podSelector: { matchLabels: peer.podLabels } } : {}),
    },
  ];
}

function egressTo(peer: NetworkPeer, protocols: string[] = ["TCP"]): Rule[] {
  const to = peersOf(peer);
  if (to.length === 0) return [];
  const ports = peer.ports?.flatMap((port) => protocols.map((protocol) => ({ protocol, port })));
  return [{ to, ...(ports?.length ? { ports } : {}) }];
}

export function desiredNetworkPolicies(
  ecosystem: Ecosystem,
  modules: readonly EcosystemModule[] = [],
): NetworkPolicy[] {
  if (!ecosystem.spec.security.networkPolicies) return [];
  const name = ecosystem.metadata.name;
  const namespace = ecosystem.metadata.namespace;
  const network = ecosystem.spec.security.network;
  const core = { [ecosystemLabel]: name, [tierLabel]: "core" };
  const gateway = { [ecosystemLabel]: name, [componentLabel]: "bus-gateway" };
  const policy = (
    policyName: string,
    podSelector: object,
    types: ("Ingress" | "Egress")[],
    rules: { ingress?: Rule[]; egress?: Rule[] },
  ) =>
    ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: {
        name: policyName,
        namespace,
        labels: ecosystemLabels(name, "network-policy", policyName),
      },
      spec: { podSelector, policyTypes: types, ...rules },
    }) as NetworkPolicy;
  const monitoring = peersOf(network.monitoring);
  const base = [
    ...egressTo(network.dns, ["UDP", "TCP"]),
    ...egressTo(network.daprControlPlane),
    ...egressTo(network.databases),
  ];
  const owner = network.databaseOwnerLabel;
  const coreBase = owner
    ? [...egressTo(network.dns, ["UDP", "TCP"]), ...egressTo(network.daprControlPlane)]
    : base;
  return [
    policy(coreIsolationPolicyName(name), { matchLabels: core }, ["Ingress"], {
      ingress: [
        {
          from: [{ podSelector: { matchLabels: core } }, { podSelector: { matchLabels: gateway } }],
        },
        ...(monitoring.length
          ? [
              {
                from: monitoring,
                ports: network.monitoring.ports?.length
                  ? network.monitoring.ports.map((port) => ({ protocol: "TCP", port }))
                  : [
                      { protocol: "TCP", port: scrapePortName },
                      { protocol: "TCP", port: daprMetricsPort },
                    ],
              },
            ]
          : []),
      ],
    }),
    policy(coreEgressPolicyName(name), { matchLabels: core }, ["Egress"], {
      egress: [
        ...coreBase,
        ...(owner ? egressTo({ ...network.databases, podLabels: {}, namespaceLabels: {} }) : []),
        ...egressTo(network.internalBroker),
      ],
    }),
    ...(owner
      ? liveModules(modules)
          .filter((module) => busOf(module) === "internal")
          .map((module) =>
            policy(
              moduleDatabasePolicyName(name, module.metadata.name),
              { matchLabels: { ...core, [moduleLabel]: module.metadata.name } },
              ["Egress"],
              {
                egress: egressTo({
                  ...network.databases,
                  ipBlocks: [],
                  podLabels: { ...network.databases.podLabels, [owner]: module.metadata.name },
                }),
              },
            ),
          )
      : []),
    policy(
      corporateEgressPolicyName(name),
      {
        matchLabels: { [ecosystemLabel]: name },
        matchExpressions: [
          { key: tierLabel, operator: "In", values: ["servicing", "front-office"] },
        ],
      },
      ["Egress"],
      {
        egress: [
          ...base,
          ...egressTo(network.corporateBroker),
          ...egressTo(network.corporateEgress),
        ],
      },
    ),
    policy(gatewayEgressPolicyName(name), { matchLabels: gateway }, ["Egress"], {
      egress: [
        ...base,
        // A standby replica passes what reaches it to the active one.
        { to: [{ podSelector: { matchLabels: gateway } }] },
        ...egressTo(network.internalBroker),
        ...egressTo(network.corporateBroker),
        ...egressTo(network.partners),
      ],
    }),
  ];
}
