import type {
  V1Probe,
  V1PodSecurityContext,
  V1ResourceRequirements,
  V1SecurityContext,
} from "@kubernetes/client-node";

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

export const podSecurityContext: V1PodSecurityContext = {
  runAsNonRoot: true,
  seccompProfile: { type: "RuntimeDefault" },
};

export const containerSecurityContext: V1SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
};

export function httpProbes(portName: string): { livenessProbe: V1Probe; readinessProbe: V1Probe } {
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

type Quantities = Record<string, number | string | undefined>;

/**
 * Resources without empty maps (an empty map would be a change on every comparison), each
 * quantity as the string the API server returns.
 */
export function compactResources(
  resources: { limits?: Quantities; requests?: Quantities } | undefined,
): V1ResourceRequirements | undefined {
  if (!resources) return undefined;
  const out: V1ResourceRequirements = {};
  const limits = quantities(resources.limits);
  const requests = quantities(resources.requests);
  if (limits) out.limits = limits;
  if (requests) out.requests = requests;
  return Object.keys(out).length ? out : undefined;
}

/** A module's (or the gateway's) `template`: what a cluster asks of the pods. */
export interface WorkloadTemplate {
  metadata?: {
    labels?: Record<string, string | undefined>;
    annotations?: Record<string, string | undefined>;
  };
  imagePullSecrets?: { name: string }[];
  nodeSelector?: Record<string, string | undefined>;
  tolerations?: object[];
  affinity?: object;
  topologySpreadConstraints?: object[];
  priorityClassName?: string;
  securityContext?: object;
  containerSecurityContext?: object;
}

const defined = (map: Record<string, string | undefined> | undefined) =>
  Object.fromEntries(Object.entries(map ?? {}).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;

/**
 * The pod-level fields a template sets, to spread into the pod spec (none when absent, so a
 * module without a template renders as before and its Deployment does not roll).
 */
export function templatePodSpec(template: WorkloadTemplate | undefined): Record<string, unknown> {
  if (!template) return {};
  const spec: Record<string, unknown> = {};
  if (template.imagePullSecrets?.length) spec.imagePullSecrets = template.imagePullSecrets;
  if (template.nodeSelector && Object.keys(template.nodeSelector).length)
    spec.nodeSelector = defined(template.nodeSelector);
  if (template.tolerations?.length) spec.tolerations = template.tolerations;
  if (template.affinity && Object.keys(template.affinity).length) spec.affinity = template.affinity;
  if (template.topologySpreadConstraints?.length)
    spec.topologySpreadConstraints = template.topologySpreadConstraints;
  if (template.priorityClassName) spec.priorityClassName = template.priorityClassName;
  return spec;
}

/** Pod metadata: the template's labels and annotations under the operator's own (ours win). */
export function templatePodMetadata(
  template: WorkloadTemplate | undefined,
  labels: Record<string, string>,
  annotations: Record<string, string>,
) {
  return {
    labels: { ...defined(template?.metadata?.labels), ...labels },
    annotations: { ...defined(template?.metadata?.annotations), ...annotations },
  };
}

function quantities(values: Quantities | undefined): Record<string, string> | undefined {
  const entries = Object.entries(values ?? {}).filter(([, v]) => v !== undefined);
  return entries.length ? Object.fromEntries(entries.map(([k, v]) => [k, String(v)])) : undefined;
}
