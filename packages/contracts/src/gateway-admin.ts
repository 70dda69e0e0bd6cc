// Who may use the bus gateway's admin API is decided by Kubernetes RBAC (docs/security.md):
// each action is an RBAC verb on a virtual resource of the symbiont.dev group, named for the
// gateway (`<ecosystem>-bus-gateway`). A Role granting them:
//   rules: [{ apiGroups: [symbiont.dev], resources: [busgateways/replay], verbs: [create] }]
// `kubectl auth can-i` cannot ask about this resource (the API server does not serve it, so
// kubectl drops the group): a SubjectAccessReview does (docs/gateway-config.md).

/**
 * The gateway's three ports, the same in its container (rendered by the operator) and in its
 * own defaults: what its Dapr sidecar calls, probes and metrics (`http`); partner webhooks
 * (`/inbound/*`), the one port in its Service (`webhooks`); the admin API, in no Service, so
 * reached with `kubectl port-forward` (`admin`).
 */
export const gatewayPorts = { http: 8080, webhooks: 8081, admin: 8082 } as const;

export const gatewayAdminGroup = "symbiont.dev";
export const gatewayAdminResource = "busgateways";

export interface GatewayAdminAction {
  verb: "get" | "create";
  subresource: "ledger" | "replay";
}

export const gatewayAdminActions = {
  /** Read dead letters, ledger entries, the audit and partner state. */
  readLedger: { verb: "get", subresource: "ledger" },
  /** Replay dead letters. */
  replay: { verb: "create", subresource: "replay" },
} as const satisfies Record<string, GatewayAdminAction>;

/** The RBAC rules granting `actions` on one gateway (or on every gateway when name is omitted). */
export function gatewayAdminRules(
  actions: readonly GatewayAdminAction[],
  gateway?: string,
): { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[] {
  return actions.map((action) => ({
    apiGroups: [gatewayAdminGroup],
    resources: [`${gatewayAdminResource}/${action.subresource}`],
    verbs: [action.verb],
    ...(gateway ? { resourceNames: [gateway] } : {}),
  }));
}
