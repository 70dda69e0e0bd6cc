import { randomBytes } from "node:crypto";
import { appTokenSecretKey, gatewayAppTokenSecretName } from "@symbiont/contracts";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { KubeObject } from "../../kube/kube-object.js";
import { ecosystemLabels } from "../shared/labels.js";

// The token the gateway's Dapr sidecar presents on every delivery (`dapr.io/app-token-secret`):
// generated once per ecosystem and created, never applied, so a reconcile never changes it.
// Rotation: delete the Secret; the next reconcile creates a new one, and the gateway's next
// rollout (sidecar and app read it at start) takes it.

export function gatewayAppTokenSecret(
  ecosystem: Ecosystem,
  token = randomBytes(32).toString("base64url"),
): KubeObject {
  const eco = ecosystem.metadata.name;
  const name = gatewayAppTokenSecretName(eco);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name,
      namespace: ecosystem.metadata.namespace,
      labels: ecosystemLabels(eco, "bus-gateway", name),
    },
    type: "Opaque",
    stringData: { [appTokenSecretKey]: token },
  } as KubeObject;
}
