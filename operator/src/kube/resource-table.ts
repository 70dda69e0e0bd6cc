// Where each kind lives in the REST API. The kinds the operator uses are known up front, so
// reconciling needs no discovery requests; any other kind is discovered once and cached.

export interface ResourceInfo {
  /** e.g. "apps/v1", "v1" */
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const known: ResourceInfo[] = [
  { apiVersion: "v1", kind: "Namespace", plural: "namespaces", namespaced: false },
  { apiVersion: "v1", kind: "Node", plural: "nodes", namespaced: false },
  { apiVersion: "v1", kind: "Pod", plural: "pods", namespaced: true },
  { apiVersion: "v1", kind: "Service", plural: "services", namespaced: true },
  { apiVersion: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true },
  { apiVersion: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true },
  { apiVersion: "v1", kind: "Secret", plural: "secrets", namespaced: true },
  { apiVersion: "v1", kind: "Event", plural: "events", namespaced: true },
  { apiVersion: "apps/v1", kind: "Deployment", plural: "deployments", namespaced: true },
  { apiVersion: "apps/v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true },
  {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    plural: "poddisruptionbudgets",
    namespaced: true,
  },
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    plural: "networkpolicies",
    namespaced: true,
  },
  { apiVersion: "coordination.k8s.io/v1", kind: "Lease", plural: "leases", namespaced: true },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", plural: "roles", namespaced: true },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    plural: "rolebindings",
    namespaced: true,
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    plural: "clusterroles",
    namespaced: false,
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    plural: "clusterrolebindings",
    namespaced: false,
  },
  {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
    namespaced: false,
  },
  { apiVersion: "dapr.io/v1alpha1", kind: "Component", plural: "components", namespaced: true },
  {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Configuration",
    plural: "configurations",
    namespaced: true,
  },
  { apiVersion: "dapr.io/v1alpha1", kind: "Resiliency", plural: "resiliencies", namespaced: true },
  {
    apiVersion: "dapr.io/v2alpha1",
    kind: "Subscription",
    plural: "subscriptions",
    namespaced: true,
  },
  {
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "Ecosystem",
    plural: "ecosystems",
    namespaced: true,
  },
  {
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "EcosystemModule",
    plural: "ecosystemmodules",
    namespaced: true,
  },
  {
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "PartnerIntegration",
    plural: "partnerintegrations",
    namespaced: true,
  },
  { apiVersion: "symbiont.dev/v1alpha1", kind: "BusRoute", plural: "busroutes", namespaced: true },
  {
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "Redelivery",
    plural: "redeliveries",
    namespaced: true,
  },
];

const byKey = new Map(known.map((info) => [`${info.apiVersion}/${info.kind}`, info]));

export function knownResource(apiVersion: string, kind: string): ResourceInfo | undefined {
  return byKey.get(`${apiVersion}/${kind}`);
}

export function rememberResource(info: ResourceInfo): void {
  byKey.set(`${info.apiVersion}/${info.kind}`, info);
}

/** The collection path: /api/v1/namespaces/ns/pods, /apis/apps/v1/deployments, ... */
export function collectionPath(info: ResourceInfo, namespace?: string): string {
  const base = info.apiVersion.includes("/")
    ? `/apis/${info.apiVersion}`
    : `/api/${info.apiVersion}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${info.plural}`;
}

export function objectPath(info: ResourceInfo, name: string, namespace?: string): string {
  return `${collectionPath(info, namespace)}/${encodeURIComponent(name)}`;
}
