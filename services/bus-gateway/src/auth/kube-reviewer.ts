import { AuthenticationV1Api, AuthorizationV1Api, type KubeConfig } from "@kubernetes/client-node";
import { adminApiGroup, adminResource, type AccessReviewer } from "./admin-access.js";

// The admin API's reviewer in a cluster: TokenReview (who is this token?) then
// SubjectAccessReview (may they do this to this gateway?). The gateway's ServiceAccount needs
// `create` on tokenreviews and subjectaccessreviews (the chart's ClusterRole).

export function kubeReviewer(kc: KubeConfig, namespace: string, gateway: string): AccessReviewer {
  const authentication = kc.makeApiClient(AuthenticationV1Api);
  const authorization = kc.makeApiClient(AuthorizationV1Api);
  return {
    describe: "Kubernetes TokenReview and SubjectAccessReview",
    async review(token, action) {
      const identity = await authentication.createTokenReview({
        body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token } },
      });
      const user = identity.status?.user;
      if (!identity.status?.authenticated || !user?.username)
        return {
          kind: "unauthenticated",
          reason: identity.status?.error
            ? `the API server did not accept the token (${identity.status.error})`
            : "the API server did not accept the token",
        };
      const access = await authorization.createSubjectAccessReview({
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SubjectAccessReview",
          spec: {
            user: user.username,
            uid: user.uid,
            groups: user.groups,
            extra: user.extra,
            resourceAttributes: {
              namespace,
              group: adminApiGroup,
              resource: adminResource,
              subresource: action.subresource,
              name: gateway,
              verb: action.verb,
            },
          },
        },
      });
      if (access.status?.allowed && !access.status.denied)
        return { kind: "allowed", user: user.username };
      return {
        kind: "forbidden",
        user: user.username,
        reason: access.status?.reason || "no RBAC rule allows it",
      };
    },
  };
}
