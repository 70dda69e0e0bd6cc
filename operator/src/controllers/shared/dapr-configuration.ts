import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { DaprConfiguration } from "../../dapr/dapr-resources.js";
import { daprConfigName } from "../../dapr/names.js";
import { ecosystemLabels } from "./labels.js";

// The ecosystem's Dapr Configuration: every sidecar's (dapr.io/config), and the base of a
// module's own when it accepts invocations (module/desired-children.ts).

/** Dapr's default trust domain of app identities (spiffe://public/ns/<namespace>/<app-id>). */
export const invocationTrustDomain = "public";

/** The Dapr Configuration every sidecar of the ecosystem uses (dapr.io/config). */
export function desiredDaprConfiguration(ecosystem: Ecosystem): DaprConfiguration {
  const name = ecosystem.metadata.name;
  const { security } = ecosystem.spec;
  return {
    apiVersion: "dapr.io/v1alpha1",
    kind: "Configuration",
    metadata: {
      name: daprConfigName(name),
      namespace: ecosystem.metadata.namespace,
      labels: ecosystemLabels(name, "dapr-config", daprConfigName(name)),
    },
    spec: {
      mtls: {
        enabled: security.mtls,
        controlPlaneTrustDomain: security.daprControlPlane.trustDomain,
        sentryAddress: security.daprControlPlane.sentryAddress,
      },
      // Modules never invoke each other (data moves only over the buses, MISSION A1): the
      // called sidecar refuses every service invocation. A module's acceptsInvocationFrom
      // adds allow policies in its own Configuration (moduleDaprConfiguration).
      accessControl: { defaultAction: "deny", trustDomain: invocationTrustDomain },
      metric: { enabled: true },
      tracing: {
        samplingRate: security.tracing.samplingRate,
        ...(security.tracing.zipkinEndpoint
          ? { zipkin: { endpointAddress: security.tracing.zipkinEndpoint } }
          : {}),
      },
    },
  };
}
