// What every Deployment the operator renders shares: the Dapr sidecar annotations and a
// restricted security profile (non-root, no privilege escalation, read-only root, no
// capabilities), so modules pass the Pod Security "restricted" standard.

export const daprMetricsPort = 9090;

export function daprAnnotations(
  appId: string,
  appPort: number,
  config: string,
): Record<string, string> {
  return {
    "dapr.io/enabled": "true",
    "dapr.io/app-id": appId,
    "dapr.io/app-port": String(appPort),
    "dapr.io/app-protocol": "http",
    "dapr.io/config": config,
    "dapr.io/enable-metrics": "true",
    "dapr.io/metrics-port": String(daprMetricsPort),
    "dapr.io/log-as-json": "true",
    // One delivery to the app at a time. daprd 1.18 shares one HTTP middleware pipeline
    // between concurrent calls to the app, so a call that fails to reach it (the app is
    // restarting, a keep-alive connection was dropped) can be reported to another, concurrent
    // call as an empty 200: Dapr then acknowledges a message the app never saw. Serialised
    // calls cannot be mixed up (docs/testbed.md, "Pitfalls met in Dapr").
    "dapr.io/app-max-concurrency": "1",
  };
}

export const podSecurityContext = {
  runAsNonRoot: true,
  seccompProfile: { type: "RuntimeDefault" },
};

export const containerSecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
};

export function httpProbes(portName: string) {
  return {
    livenessProbe: {
      httpGet: { path: "/healthz", port: portName },
      periodSeconds: 10,
      failureThreshold: 3,
    },
    readinessProbe: {
      httpGet: { path: "/readyz", port: portName },
      periodSeconds: 5,
      failureThreshold: 3,
    },
  };
}

/** Resources without empty maps (an empty map would be a change on every comparison). */
export function compactResources(resources: { limits?: object; requests?: object } | undefined) {
  if (!resources) return undefined;
  const out: Record<string, object> = {};
  if (resources.limits && Object.keys(resources.limits).length) out.limits = resources.limits;
  if (resources.requests && Object.keys(resources.requests).length)
    out.requests = resources.requests;
  return Object.keys(out).length ? out : undefined;
}
