// Generated from crds/ecosystemmodules.symbiont.dev.yaml by scripts/generate-types.ts (make generate). Do not edit.

import type { KubeObject } from "../kube/kube-object.js";

/**
 * An EcosystemModule is one module of an Ecosystem (master data, CRM, a site, a cabinet...): its own Deployment with its own Dapr app-id (the module's name). It talks to other modules only over the buses: core modules over the internal bus, all others over the corporate bus.
 */
export interface EcosystemModuleBody {
  spec: EcosystemModuleSpec;
  status?: EcosystemModuleStatus;
}
/**
 * The desired module.
 */
export interface EcosystemModuleSpec {
  /**
   * The Ecosystem this module belongs to, in the same namespace.
   */
  ecosystemRef: {
    /**
     * Name of the Ecosystem.
     */
    name: string;
  };
  /**
   * core modules (master data, CRM, files, processes, analytics, marketplace) live on the internal bus; servicing (document flow, accounting, BI) and front-office (sites, cabinets) modules live on the corporate bus.
   */
  tier: "core" | "servicing" | "front-office";
  /**
   * What the module does: mdm, crm, files, processes, analytics, marketplace, site, landing-wizard, user-cabinet, partner-cabinet, company-partner-cabinet, or custom.
   */
  type:
    | "mdm"
    | "crm"
    | "files"
    | "processes"
    | "analytics"
    | "marketplace"
    | "site"
    | "landing-wizard"
    | "user-cabinet"
    | "partner-cabinet"
    | "company-partner-cabinet"
    | "custom";
  /**
   * Container image of the module.
   */
  image: string;
  /**
   * HTTP port the module listens on (its PORT environment variable and Dapr app-port). The module serves /healthz, /readyz and /metrics there (default 8080).
   */
  port: number;
  /**
   * Dapr service invocation between modules is denied (data moves only over the buses, MISSION A1): the ecosystem's Dapr Configuration has accessControl defaultAction deny. For the rare exception, the modules of this ecosystem (by name, their app-ids) whose sidecars may invoke this one; this module's sidecar then gets its own Configuration allowing them. Enforced by the called sidecar on the caller's mTLS identity (Dapr sentry): without mTLS every invocation stays denied.
   *
   * @maxItems 20
   */
  acceptsInvocationFrom?: string[];
  /**
   * Pods of the module. With more than one, a PodDisruptionBudget keeps one available during voluntary disruptions (default 1). The scale subresource sets it: `kubectl scale emod/<name> --replicas 3`, a HorizontalPodAutoscaler or KEDA.
   */
  replicas: number;
  /**
   * Extra environment variables. Secrets are referenced (valueFrom.secretKeyRef), never written here.
   *
   * @maxItems 64
   */
  env?: EnvVar[];
  resources?: ResourceRequirements;
  /**
   * What a real cluster asks of the module's pods, in the Strimzi style: pull secrets, placement, priority, extra labels and annotations, security overrides. Each field is the Kubernetes field of the same name in the pod template; the API server validates them when the operator applies the Deployment (a refusal is the module's Ready message).
   */
  template?: {
    /**
     * Extra labels and annotations on the module's pods.
     */
    metadata?: {
      /**
       * Pod labels (e.g. for a service mesh or cost allocation); the operator's own (symbiont.dev/*, app.kubernetes.io/*) cannot be set.
       */
      labels?: {
        [k: string]: string | undefined;
      };
      /**
       * Pod annotations; Dapr's (dapr.io/*) are the operator's and cannot be set here.
       */
      annotations?: {
        [k: string]: string | undefined;
      };
    };
    /**
     * Secrets (in the module's namespace) for pulling its image from a private registry.
     *
     * @maxItems 10
     *
     * Items: One Secret of type kubernetes.io/dockerconfigjson.
     */
    imagePullSecrets?: {
      /**
       * The Secret's name.
       */
      name: string;
    }[];
    /**
     * Labels the nodes running the module's pods must have.
     */
    nodeSelector?: {
      [k: string]: string | undefined;
    };
    /**
     * Taints the module's pods tolerate (core/v1 Toleration).
     *
     * Items: A core/v1 Toleration.
     */
    tolerations?: {
      [k: string]: unknown | undefined;
    }[];
    /**
     * Node and pod (anti-)affinity of the module's pods (core/v1 Affinity).
     */
    affinity?: {
      [k: string]: unknown | undefined;
    };
    /**
     * How the module's replicas spread over zones and nodes (core/v1 TopologySpreadConstraint).
     *
     * Items: A core/v1 TopologySpreadConstraint.
     */
    topologySpreadConstraints?: {
      [k: string]: unknown | undefined;
    }[];
    /**
     * The PriorityClass of the module's pods.
     */
    priorityClassName?: string;
    /**
     * Fields of the pod's securityContext to set over the operator's restricted defaults (runAsNonRoot, RuntimeDefault seccomp), e.g. runAsUser or fsGroup.
     */
    securityContext?: {
      [k: string]: unknown | undefined;
    };
    /**
     * Fields of the module container's securityContext to set over the operator's restricted defaults (no privilege escalation, read-only root, no capabilities).
     */
    containerSecurityContext?: {
      [k: string]: unknown | undefined;
    };
  };
  /**
   * Topics the module publishes. Its sidecar may publish only these (Dapr publishingScopes); the ecosystem owns the topics, not the module, so another implementation can replace it.
   *
   * @maxItems 100
   */
  publishes?: PublishedTopic[];
  /**
   * Topics the module consumes. Each becomes a Dapr Subscription that delivers CloudEvents to route, retried by the ecosystem's delivery policy, with a dead-letter topic for what exhausts it.
   *
   * @maxItems 100
   */
  subscribes?: SubscribedTopic[];
  storage?: StorageSpec;
  /**
   * Liveness (/healthz) and readiness (/readyz) probes on the module's port.
   */
  probes: {
    /**
     * Turn off for images that do not serve /healthz and /readyz (default true).
     */
    enabled: boolean;
  };
}
export interface EnvVar {
  /**
   * Variable name.
   */
  name: string;
  /**
   * A plain value (not a secret).
   */
  value?: string;
  /**
   * A value read from a Secret or ConfigMap key.
   */
  valueFrom?: {
    /**
     * A key of a Secret in the module's namespace.
     */
    secretKeyRef?: {
      /**
       * Name of the Secret.
       */
      name: string;
      /**
       * The key.
       */
      key: string;
      /**
       * Start even when the key is missing.
       */
      optional?: boolean;
    };
    /**
     * A key of a ConfigMap in the module's namespace.
     */
    configMapKeyRef?: {
      /**
       * Name of the ConfigMap.
       */
      name: string;
      /**
       * The key.
       */
      key: string;
      /**
       * Start even when the key is missing.
       */
      optional?: boolean;
    };
  };
}
/**
 * Compute resources of the module's container (requests and limits).
 */
export interface ResourceRequirements {
  /**
   * Maximum resources, e.g. cpu "500m", memory "256Mi".
   */
  limits?: {
    [k: string]: number | string | undefined;
  };
  /**
   * Guaranteed resources, e.g. cpu "100m", memory "128Mi".
   */
  requests?: {
    [k: string]: number | string | undefined;
  };
}
export interface PublishedTopic {
  /**
   * Topic name, e.g. mdm.item.changed.
   */
  topic: string;
  /**
   * internal or corporate. Optional: a core module is on the internal bus, any other module on the corporate bus, and naming the other bus is refused.
   */
  bus?: "internal" | "corporate";
}
export interface SubscribedTopic {
  /**
   * Topic name, e.g. mdm.item.changed.
   */
  topic: string;
  /**
   * internal or corporate. Optional: a core module is on the internal bus, any other module on the corporate bus, and naming the other bus is refused.
   */
  bus?: "internal" | "corporate";
  /**
   * HTTP path of the module that receives the events; default /events/<topic>.
   */
  route?: string;
  /**
   * Where messages go after the delivery policy is exhausted; default <topic>.<module>.deadletter. The bus gateway subscribes to it and records every dead letter (listed and replayable at /v1/deadletters), so it must end in .deadletter.
   */
  deadLetterTopic?: string;
  /**
   * Take this topic in bulk deliveries: the sidecar hands the module up to maxMessages events in one call and the service kit answers each on its own (SUCCESS, RETRY or DROP), so a slow round trip is paid once per batch. Worth it when the Ecosystem's delivery.ordered is false: with ordered delivery the broker hands over one event at a time, and each batch holds one event that waits maxAwaitMs.
   */
  bulk?: {
    /**
     * The most events in one delivery (default 100). On a Redis bus with unordered delivery the operator gives the sidecars that many consumer workers (a delivery holds a worker per event), unless the bus's settings name concurrency.
     */
    maxMessages: number;
    /**
     * How long the sidecar waits to fill a delivery, in milliseconds (default 5).
     */
    maxAwaitMs: number;
  };
}
/**
 * The module's database, as a MongoDB URI in a Secret (env DATABASE_URL).
 */
export interface StorageSpec {
  /**
   * The Secret key holding the database URL.
   */
  secretRef: {
    /**
     * Name of the Secret, in the module's namespace.
     */
    name: string;
    /**
     * Key of the Secret holding the URL (default url).
     */
    key: string;
  };
}
/**
 * The observed state, written by the operator.
 */
export interface EcosystemModuleStatus {
  /**
   * Messages on topics this module subscribes to that a subscriber refused (Dapr moved them to the dead-letter topic), held by the bus gateway; from the Ecosystem's status. Replay them with `kubectl symbiont deadletters replay`.
   */
  deadLetters?: number;
  /**
   * The metadata.generation this status describes.
   */
  observedGeneration?: number;
  /**
   * Ready (the module runs and is connected to its bus), DeploymentAvailable (its Deployment has the desired replicas available).
   */
  conditions?: Condition[];
  /**
   * The module's Dapr app-id.
   */
  appId?: string;
  /**
   * The bus the module is on (internal or corporate).
   */
  bus?: string;
  /**
   * Pods of the module's Deployment (its status.replicas), as the scale subresource reports them to `kubectl scale`, a HorizontalPodAutoscaler or KEDA.
   */
  replicas?: number;
  /**
   * The label selector of the module's pods, as a string (symbiont.dev/module=<name>); the scale subresource gives it to autoscalers.
   */
  selector?: string;
  /**
   * Available replicas of the module's Deployment.
   */
  availableReplicas?: number;
  /**
   * available/desired, for kubectl get.
   */
  replicasReady?: string;
}
export interface Condition {
  /**
   * Kind of condition, in CamelCase.
   */
  type: string;
  /**
   * True, False or Unknown.
   */
  status: "True" | "False" | "Unknown";
  /**
   * Machine-readable reason for the last transition, in CamelCase.
   */
  reason: string;
  /**
   * What happened and what to do next, for a person.
   */
  message: string;
  /**
   * The metadata.generation the condition was set for.
   */
  observedGeneration?: number;
  /**
   * When status last changed.
   */
  lastTransitionTime: string;
}

export interface EcosystemModule extends KubeObject, EcosystemModuleBody {
  apiVersion: "symbiont.dev/v1alpha1";
  kind: "EcosystemModule";
}
