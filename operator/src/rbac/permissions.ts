// Every API permission the operator uses, and why: the single source of the chart's
// ClusterRole (least privilege: no wildcards). A test keeps the chart in step with this list.

export interface Permission {
  apiGroup: string;
  resources: string[];
  verbs: string[];
  /** Only these objects (e.g. the one binding the operator keeps). */
  resourceNames?: string[];
  /** Cluster-scoped resources: a ClusterRole even when the operator watches one namespace. */
  clusterScoped?: true;
  /** Only in the release namespace (its own leader-election Lease): a Role there. */
  releaseNamespace?: true;
  why: string;
}

/** The chart's ClusterRole (TokenReview, SubjectAccessReview) and ClusterRoleBinding for the bus gateways. */
export const gatewayReviewsName = "symbiont-bus-gateway-reviews";

const readWrite = ["get", "list", "watch", "create", "update", "patch", "delete"];

export const operatorPermissions: Permission[] = [
  {
    apiGroup: "symbiont.dev",
    resources: ["ecosystems", "ecosystemmodules", "partnerintegrations", "busroutes"],
    verbs: ["get", "list", "watch"],
    why: "the objects it reconciles",
  },
  {
    apiGroup: "symbiont.dev",
    resources: ["ecosystems"],
    verbs: ["patch"],
    why: "granted to each bus gateway, which removes the replay annotation from its Ecosystem (RBAC lets a Role grant only what its author holds)",
  },
  {
    apiGroup: "symbiont.dev",
    resources: ["redeliveries"],
    verbs: ["get", "list", "watch"],
    why: "granted to each bus gateway, which executes the Redeliveries of its Ecosystem",
  },
  {
    apiGroup: "symbiont.dev",
    resources: ["redeliveries/status"],
    verbs: ["get", "update", "patch"],
    why: "granted to each bus gateway, which reports a Redelivery's progress",
  },
  {
    apiGroup: "symbiont.dev",
    resources: [
      "ecosystems/status",
      "ecosystemmodules/status",
      "partnerintegrations/status",
      "busroutes/status",
    ],
    verbs: ["get", "update", "patch"],
    why: "conditions and counts it reports",
  },
  {
    apiGroup: "apps",
    resources: ["deployments"],
    verbs: readWrite,
    why: "one Deployment per module and the bus gateway",
  },
  {
    apiGroup: "",
    resources: ["services", "serviceaccounts", "configmaps"],
    verbs: readWrite,
    why: "module and gateway Services, ServiceAccounts, the gateway's configuration",
  },
  {
    apiGroup: "",
    resources: ["secrets"],
    verbs: ["create"],
    why: "the bus gateway's generated app token (created once, never read)",
  },
  {
    apiGroup: "policy",
    resources: ["poddisruptionbudgets"],
    verbs: readWrite,
    why: "PodDisruptionBudgets of multi-replica modules and gateways",
  },
  {
    apiGroup: "networking.k8s.io",
    resources: ["networkpolicies"],
    verbs: readWrite,
    why: "core isolation (MISSION A3/A4)",
  },
  {
    apiGroup: "dapr.io",
    resources: ["components", "configurations", "resiliencies", "subscriptions"],
    verbs: readWrite,
    why: "the buses, bindings, delivery policy and subscriptions",
  },
  {
    apiGroup: "rbac.authorization.k8s.io",
    resources: ["roles", "rolebindings"],
    verbs: readWrite,
    why: "the bus gateway's Role to report PartnerIntegration status and Events",
  },
  {
    apiGroup: "rbac.authorization.k8s.io",
    resources: ["clusterrolebindings"],
    verbs: ["get", "patch"],
    resourceNames: [gatewayReviewsName],
    clusterScoped: true,
    why: "the bus gateways' ServiceAccounts as the subjects of the binding that lets them check admin callers",
  },
  {
    apiGroup: "rbac.authorization.k8s.io",
    resources: ["clusterroles"],
    verbs: ["bind"],
    resourceNames: [gatewayReviewsName],
    clusterScoped: true,
    why: "binding only that role (TokenReview and SubjectAccessReview create) to the gateways",
  },
  {
    apiGroup: "",
    resources: ["pods"],
    verbs: ["get", "list", "watch"],
    why: "modules' pods, whose image pulls and crashes Ready reports at once",
  },
  {
    apiGroup: "",
    resources: ["events"],
    verbs: ["create", "patch"],
    why: "Events on the objects it manages",
  },
  {
    apiGroup: "coordination.k8s.io",
    resources: ["leases"],
    verbs: ["get", "create", "update"],
    releaseNamespace: true,
    why: "leader election",
  },
  {
    apiGroup: "coordination.k8s.io",
    resources: ["leases"],
    verbs: ["get", "create", "update"],
    why: "granted to each bus gateway whose replicas elect the active one on a Lease",
  },
];

/** The ClusterRole rules, as the chart renders them. */
export function clusterRoleRules(): {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}[] {
  return operatorPermissions.map((p) => ({
    apiGroups: [p.apiGroup],
    resources: [...p.resources],
    verbs: [...p.verbs],
    ...(p.resourceNames ? { resourceNames: [...p.resourceNames] } : {}),
  }));
}
