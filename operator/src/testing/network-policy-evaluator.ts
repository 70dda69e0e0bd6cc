import type { KubeObject } from "../kube/kube-object.js";

// Whether a connection is allowed by a set of NetworkPolicies, following the Kubernetes
// semantics a policy-enforcing CNI applies: a pod selected by a policy with policyTypes
// Egress (Ingress) is isolated for that direction and allows only what some selecting
// policy's rules allow; a connection needs the source's egress and the destination's
// ingress. ipBlock peers match endpoints outside the cluster only (the conservative reading:
// CNIs differ on pod IPs). Used to check the operator's rendered policies without a CNI.

type Labels = Record<string, string>;

export type Endpoint =
  | { kind: "pod"; namespace: string; namespaceLabels: Labels; labels: Labels }
  | { kind: "external"; ip: string };

export interface Port {
  port: number;
  /** The container port's name at the destination, for named-port rules. */
  name?: string;
  protocol?: "TCP" | "UDP";
}

interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  to?: Peer[];
  from?: Peer[];
  ports?: { protocol?: string; port?: number | string; endPort?: number }[];
}
interface Policy extends KubeObject {
  spec: { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
}

export function selects(selector: Selector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        return value !== undefined && (e.values ?? []).includes(value);
      case "NotIn":
        return value === undefined || !(e.values ?? []).includes(value);
      case "Exists":
        return value !== undefined;
      case "DoesNotExist":
        return value === undefined;
      default:
        throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
  return byLabels && byExpressions;
}

function ipv4(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`not an IPv4 address: ${ip}`);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = Number(bits);
  const mask = size === 0 ? 0 : (~0 << (32 - size)) >>> 0;
  return (ipv4(ip) & mask) >>> 0 === (ipv4(base!) & mask) >>> 0;
}

function peerMatches(peer: Peer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) {
    if (other.kind !== "external") return false;
    return (
      inCidr(other.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((cidr) => inCidr(other.ip, cidr))
    );
  }
  if (other.kind !== "pod") return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, other.namespaceLabels)
    : other.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, other.labels);
}

function portMatches(rule: Rule, port: Port): boolean {
  if (!rule.ports?.length) return true;
  return rule.ports.some((p) => {
    if ((p.protocol ?? "TCP") !== (port.protocol ?? "TCP")) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "string") return p.port === port.name;
    return p.endPort === undefined
      ? p.port === port.port
      : port.port >= p.port && port.port <= p.endPort;
  });
}

function direction(
  policies: Policy[],
  self: Endpoint,
  other: Endpoint,
  port: Port,
  type: "Ingress" | "Egress",
): boolean {
  if (self.kind !== "pod") return true;
  const selecting = policies.filter(
    (p) =>
      p.metadata.namespace === self.namespace &&
      selects(p.spec.podSelector, self.labels) &&
      (p.spec.policyTypes ?? ["Ingress"]).includes(type),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (type === "Egress" ? (p.spec.egress ?? []) : (p.spec.ingress ?? [])).some((rule) => {
      const peers = type === "Egress" ? rule.to : rule.from;
      const peerOk =
        peers === undefined ||
        peers.length === 0 ||
        peers.some((peer) => peerMatches(peer, p.metadata.namespace!, other));
      return peerOk && portMatches(rule, port);
    }),
  );
}

/** Whether `from` may open a connection to `to` on `port` under `policies`. */
export function connectionAllowed(
  policies: readonly KubeObject[],
  from: Endpoint,
  to: Endpoint,
  port: Port,
): boolean {
  const list = policies.filter((p) => p.kind === "NetworkPolicy") as Policy[];
  return direction(list, from, to, port, "Egress") && direction(list, to, from, port, "Ingress");
}
