import type { KubeObject } from "../kube/kube-object.js";

// The Dapr kinds the operator renders, with the fields it sets (Dapr publishes no TypeScript
// models of its CRDs): https://docs.dapr.io/reference/resource-specs/. One place, so a
// misspelt field is a compile error rather than a resource daprd silently ignores.

export interface DaprMetadataItem {
  name: string;
  value?: string;
  secretKeyRef?: { name: string; key: string };
}

/** App-ids allowed to load the resource (all when absent). */
interface Scoped {
  scopes?: string[];
}

export interface DaprComponent extends KubeObject, Scoped {
  apiVersion: "dapr.io/v1alpha1";
  kind: "Component";
  spec: {
    type: string;
    version: string;
    metadata: DaprMetadataItem[];
    ignoreErrors?: boolean;
    initTimeout?: string;
  };
}

export interface DaprSubscription extends KubeObject, Scoped {
  apiVersion: "dapr.io/v2alpha1";
  kind: "Subscription";
  spec: {
    pubsubname: string;
    topic: string;
    routes: { default?: string; rules?: { match: string; path: string }[] };
    deadLetterTopic?: string;
    metadata?: Record<string, string>;
    bulkSubscribe?: { enabled: boolean; maxMessagesCount: number; maxAwaitDurationMs: number };
  };
}

export interface DaprConfiguration extends KubeObject {
  apiVersion: "dapr.io/v1alpha1";
  kind: "Configuration";
  spec: {
    mtls?: { enabled: boolean; controlPlaneTrustDomain?: string; sentryAddress?: string };
    /** Service invocation: who may call the sidecar that reads this Configuration. */
    accessControl?: {
      defaultAction: "allow" | "deny";
      trustDomain?: string;
      policies?: {
        appId: string;
        defaultAction: "allow" | "deny";
        trustDomain?: string;
        namespace?: string;
      }[];
    };
    metric?: { enabled: boolean };
    tracing?: { samplingRate: string; zipkin?: { endpointAddress: string } };
  };
}

export interface DaprRetryPolicy {
  policy: "constant" | "exponential";
  /** Constant: the wait between attempts; exponential: the initial one. */
  duration?: string;
  maxInterval?: string;
  /** -1 retries for ever. */
  maxRetries?: number;
}

interface DaprTargetPolicies {
  retry?: string;
  timeout?: string;
  circuitBreaker?: string;
}

export interface DaprResiliency extends KubeObject, Scoped {
  apiVersion: "dapr.io/v1alpha1";
  kind: "Resiliency";
  spec: {
    policies: {
      retries?: Record<string, DaprRetryPolicy>;
      timeouts?: Record<string, string>;
    };
    targets: {
      components?: Record<string, { inbound?: DaprTargetPolicies; outbound?: DaprTargetPolicies }>;
      apps?: Record<string, DaprTargetPolicies>;
    };
  };
}
