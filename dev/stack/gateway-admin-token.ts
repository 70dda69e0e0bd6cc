import { CoreV1Api, RbacAuthorizationV1Api, type KubeConfig } from "@kubernetes/client-node";
import { gatewayAdminRules, type GatewayAdminAction } from "@symbiont/contracts";

// A caller of the bus gateway's admin API as a platform engineer would set one up: a
// ServiceAccount, a Role with the gateway's admin verbs (none: a caller RBAC refuses), a
// RoleBinding, and a short-lived token from the TokenRequest API (`kubectl create token`).

export async function gatewayAdminToken(
  kc: KubeConfig,
  options: {
    namespace: string;
    /** The gateway's name (`<ecosystem>-bus-gateway`). */
    gateway: string;
    /** The ServiceAccount (and Role) name. */
    name: string;
    actions: readonly GatewayAdminAction[];
  },
): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const { namespace, name } = options;
  await ignoreExisting(
    core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } }),
  );
  if (options.actions.length > 0) {
    await ignoreExisting(
      rbac.createNamespacedRole({
        namespace,
        body: { metadata: { name }, rules: gatewayAdminRules(options.actions, options.gateway) },
      }),
    );
    await ignoreExisting(
      rbac.createNamespacedRoleBinding({
        namespace,
        body: {
          metadata: { name },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
          subjects: [{ kind: "ServiceAccount", name, namespace }],
        },
      }),
    );
  }
  const request = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`no token issued for ServiceAccount ${namespace}/${name}`);
  return token;
}

async function ignoreExisting(creating: Promise<unknown>): Promise<void> {
  try {
    await creating;
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
  }
}
