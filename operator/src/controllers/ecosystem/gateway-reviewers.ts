import { gatewayName } from "@symbiont/contracts";
import type { Logger } from "pino";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { KubeApiError } from "../../kube/api-error.js";
import type { KubeClient } from "../../kube/kube-client.js";
import { refOf, type KubeObject } from "../../kube/kube-object.js";
import { gatewayReviewsName } from "../../rbac/permissions.js";

// Each bus gateway checks who calls its admin API with TokenReview and SubjectAccessReview,
// cluster-scoped requests. The chart ships one ClusterRole allowing just those two and one
// ClusterRoleBinding of it (both `symbiont-bus-gateway-reviews`); the operator keeps the
// binding's subjects equal to the gateways' ServiceAccounts, so no other account gets the
// rights and no binding outlives its ecosystem. The operator may patch only that binding
// and bind only that role (operator/src/rbac/permissions.ts).

export const reviewsFieldManager = "symbiont-operator";

/** The binding's subjects: every live Ecosystem's gateway ServiceAccount, sorted. */
export function desiredReviewersBinding(ecosystems: readonly Ecosystem[]): KubeObject {
  const subjects = ecosystems
    .filter((ecosystem) => !ecosystem.metadata.deletionTimestamp)
    .map((ecosystem) => ({
      kind: "ServiceAccount",
      name: gatewayName(ecosystem.metadata.name),
      namespace: ecosystem.metadata.namespace!,
    }))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: gatewayReviewsName },
    roleRef: {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: gatewayReviewsName,
    },
    subjects,
  } as KubeObject;
}

export class GatewayReviewers {
  private written = "";
  private missingLogged = false;

  constructor(
    private readonly client: KubeClient,
    private readonly logger: Logger,
  ) {}

  /** Writes the subjects when they changed. Never fails a reconcile: the gateways' own data flow does not need it. */
  async sync(ecosystems: readonly Ecosystem[]): Promise<void> {
    const binding = desiredReviewersBinding(ecosystems);
    const text = JSON.stringify(binding);
    if (text === this.written) return;
    let present: KubeObject | undefined;
    try {
      present = await this.client.get(refOf(binding));
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 403)) throw error;
    }
    if (!present) {
      if (!this.missingLogged)
        this.logger.warn(
          { binding: gatewayReviewsName },
          "the bus gateways' reviews ClusterRoleBinding is not there or not readable (install the chart with rbac.create): their admin APIs cannot check callers",
        );
      this.missingLogged = true;
      return;
    }
    await this.client.apply(binding, { fieldManager: reviewsFieldManager, force: true });
    this.written = text;
    this.missingLogged = false;
  }
}
