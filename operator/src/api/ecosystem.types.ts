// Generated from crds/ecosystems.symbiont.dev.yaml by scripts/generate-types.ts (make generate). Do not edit.

import type { KubeObject } from "../kube/kube-object.js";

/**
 * An Ecosystem is one company's set of modules and the two buses that connect them: the internal bus joins the core modules only; the corporate bus joins everything outside the core; one bus gateway bridges them. The operator renders the buses as Dapr pub/sub Components, the delivery policy as a Dapr Resiliency, a Dapr Configuration, the bus gateway and NetworkPolicies that keep the core off the corporate side.
 */
export interface EcosystemBody {
  spec: EcosystemSpec;
  status?: EcosystemStatus;
}
/**
 * The desired ecosystem.
 */
export interface EcosystemSpec {
  internalBus: BusSpec;
  corporateBus: BusSpec;
  delivery: DeliveryPolicy;
  gateway: GatewaySpec;
  security: SecuritySpec;
}
/**
 * The internal bus: a Dapr pub/sub component scoped to the core modules and the bus gateway. Core modules publish and subscribe only here.
 */
export interface BusSpec {
  /**
   * The Dapr pub/sub type: redis (Redis Streams), rabbitmq, nats-jetstream, kafka, or in-memory (one process only, for development: messages are lost when the process stops).
   */
  type: "redis" | "rabbitmq" | "nats-jetstream" | "kafka" | "in-memory";
  /**
   * Where the bus's connection settings come from: a Secret in the Ecosystem's namespace. The rendered Dapr Component reads each key through a secretKeyRef; the operator never reads the Secret's values.
   */
  connection?: {
    /**
     * The Secret holding the connection settings.
     */
    secretRef: {
      /**
       * Name of the Secret, in the Ecosystem's namespace.
       */
      name: string;
    };
    /**
     * The Dapr component metadata fields held by the Secret, each under a key of the same name. Default per type: redis [redisHost, redisPassword]; rabbitmq [connectionString]; nats-jetstream [natsURL]; kafka [brokers].
     *
     * @maxItems 16
     */
    secretKeys?: string[];
  };
  /**
   * Accept settings that can lose messages (maxLenApprox, maxLen, maxLenBytes, ttlInSeconds, streamTTL; durable: false, deletedWhenUnused: true, autoAck: true, publisherConfirm: false, deliveryMode other than 2, requeueInFailure: false, redeliverInterval: 0), refused otherwise. The Ecosystem then carries the condition LossySettings=True naming them, and a Warning Event.
   */
  allowLossySettings: boolean;
  /**
   * Extra non-secret Dapr component metadata for this bus (e.g. maxLenApprox for redis, prefetchCount for rabbitmq). Symbiont already renders durable, redelivery-tuned settings; these override them.
   */
  settings?: {
    [k: string]: string | undefined;
  };
}
/**
 * The ecosystem's default delivery policy, used by every subscription and by the bus gateway towards partners (a PartnerIntegration may override it).
 */
export interface DeliveryPolicy {
  /**
   * Delivery attempts of one message before it becomes a dead letter (the first attempt included) (default 10).
   */
  maxAttempts: number;
  /**
   * Exponential backoff between attempts.
   */
  backoff: {
    /**
     * Wait before the gateway's second delivery attempt to a partner, as a Go duration (e.g. 500ms, 1s) (default 1s). Dapr's redeliveries to modules always start at 500 ms (its exponential policy has no initial interval) and grow up to max.
     */
    initial: string;
    /**
     * Longest wait between two attempts, as a Go duration (default 5m).
     */
    max: string;
  };
  /**
   * How long the bus gateway keeps buffering messages for a partner that is down before they become dead letters, as a Go duration (default 24h).
   */
  bufferTTL: string;
  /**
   * Deliver each topic's messages in publish order, one at a time per subscriber (Redis concurrency 1, RabbitMQ single consumer, JetStream one pending ack), so a partner's buffer replays in its original order. false trades order for throughput: subscribers take messages side by side (Redis with enough consumer workers to fill the largest bulk delivery, JetStream in parallel) (default true).
   */
  ordered: boolean;
  /**
   * Keep messages that exhausted the policy as visible, replayable dead letters (default true). When false they are still recorded in the ledger.
   */
  deadLetter: boolean;
}
/**
 * The bus gateway, the only app on both buses.
 */
export interface GatewaySpec {
  /**
   * Container image of the bus gateway. Empty: the operator's own (chart value gateway.image, the operator's version), so upgrading the operator upgrades the gateway; set it only to pin one Ecosystem's gateway.
   */
  image?: string;
  /**
   * Gateway replicas (default 1). One, elected on a Lease, writes the delivery ledger and carries the messages; the others pass what reaches them to it and take over within seconds when it goes. More than one needs delivery.ordered false; then a rolling update starts a new pod before the old one stops, and a PodDisruptionBudget keeps one through a drain.
   */
  replicas: number;
  /**
   * Dapr bulk subscriptions for the gateway's topics when delivery.ordered is false: the sidecar hands the gateway up to maxMessages messages in one call, answered entry by entry, and their ledger records are written together. An entry the gateway does not answer SUCCESS is retried alone, so nothing is acknowledged unrecorded. With ordered delivery the broker hands over one message at a time, and the gateway keeps single deliveries.
   */
  bulkSubscribe: {
    /**
     * Take bulk deliveries when delivery is not ordered (default true).
     */
    enabled: boolean;
    /**
     * The most messages in one delivery (default 100). On a Redis bus the operator gives the sidecars that many consumer workers (a delivery holds a worker per message), unless the bus's settings name concurrency.
     */
    maxMessages: number;
    /**
     * How long the sidecar waits to fill a delivery, in milliseconds: the most a message waits for others (default 1). Messages that arrive while a delivery is being answered fill the next one anyway.
     */
    maxAwaitMs: number;
  };
  /**
   * How long the gateway's ledger keeps each delivered message's entry, as a Go duration; older ones are kept only as per-day counts that the audit reports. Pending messages and dead letters are always kept (default 168h).
   */
  ledgerRetention: string;
  ledger?: StorageSpec;
  resources?: ResourceRequirements;
  /**
   * What a real cluster asks of the bus gateway's pods, in the Strimzi style: pull secrets, placement, priority, extra labels and annotations, security overrides. Each field is the Kubernetes field of the same name in the pod template; the API server validates them when the operator applies the Deployment (a refusal is the Ecosystem's Ready message).
   */
  template?: {
    /**
     * Extra labels and annotations on the gateway's pods.
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
     * Secrets (in the Ecosystem's namespace) for pulling its image from a private registry.
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
     * Labels the nodes running the gateway's pods must have.
     */
    nodeSelector?: {
      [k: string]: string | undefined;
    };
    /**
     * Taints the gateway's pods tolerate (core/v1 Toleration).
     *
     * Items: A core/v1 Toleration.
     */
    tolerations?: {
      [k: string]: unknown | undefined;
    }[];
    /**
     * Node and pod (anti-)affinity of the gateway's pods (core/v1 Affinity).
     */
    affinity?: {
      [k: string]: unknown | undefined;
    };
    /**
     * How the gateway's replicas spread over zones and nodes (core/v1 TopologySpreadConstraint).
     *
     * Items: A core/v1 TopologySpreadConstraint.
     */
    topologySpreadConstraints?: {
      [k: string]: unknown | undefined;
    }[];
    /**
     * The PriorityClass of the gateway's pods.
     */
    priorityClassName?: string;
    /**
     * Fields of the pod's securityContext to set over the operator's restricted defaults (runAsNonRoot, RuntimeDefault seccomp), e.g. runAsUser or fsGroup.
     */
    securityContext?: {
      [k: string]: unknown | undefined;
    };
    /**
     * Fields of the gateway container's securityContext to set over the operator's restricted defaults (no privilege escalation, read-only root, no capabilities).
     */
    containerSecurityContext?: {
      [k: string]: unknown | undefined;
    };
  };
}
/**
 * The gateway's delivery ledger database, as a MongoDB URI in a Secret (env DATABASE_URL). Every message crossing the buses is recorded there before it is acknowledged.
 */
export interface StorageSpec {
  /**
   * The Secret key holding the database URL.
   */
  secretRef: {
    /**
     * Name of the Secret, in the Ecosystem's namespace.
     */
    name: string;
    /**
     * Key of the Secret holding the URL (default url).
     */
    key: string;
  };
}
/**
 * Compute resources of the container (requests and limits).
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
/**
 * Security defaults of the ecosystem: mTLS, network isolation of the core, signing, tracing.
 */
export interface SecuritySpec {
  /**
   * Mutual TLS between Dapr sidecars (Dapr Configuration spec.mtls.enabled) (default true).
   */
  mtls: boolean;
  /**
   * Where the Dapr control plane's certificate authority (sentry) runs, for mTLS.
   */
  daprControlPlane: {
    /**
     * The Dapr control plane's trust domain (default cluster.local).
     */
    trustDomain: string;
    /**
     * host:port of Dapr sentry (default dapr-sentry.dapr-system.svc.cluster.local:443).
     */
    sentryAddress: string;
  };
  /**
   * Render NetworkPolicies (default true): core pods accept traffic only from the ecosystem's core pods, the bus gateway and monitoring; core pods, modules outside the core and the gateway reach only what network names for them.
   */
  networkPolicies: boolean;
  /**
   * Who the ecosystem's pods may reach when networkPolicies is on (egress), as label selectors or CIDRs; a peer with neither is reached by no one. docs/security.md says what each pod reaches.
   */
  network: {
    /**
     * A label key on database pods saying which module owns each (its value the module's name, e.g. symbiont.dev/database-of: crm). When set, a core module's pods reach only the databases pods labelled with its own name (one NetworkPolicy per core module, <ecosystem>-<module>-database); the other peers of databases (ipBlocks) stay open to every core pod. Absent: every core pod reaches every database.
     */
    databaseOwnerLabel?: string;
    /**
     * The cluster DNS (every pod).
     */
    dns: {
      /**
       * Labels of the namespaces the peer's pods run in (absent: the Ecosystem's namespace).
       */
      namespaceLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * Labels of the peer's pods (absent with namespaceLabels: every pod of those namespaces).
       */
      podLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * CIDRs of a peer outside the cluster (a managed broker or database).
       *
       * @maxItems 20
       */
      ipBlocks?: string[];
      /**
       * Ports allowed to it (absent: every port).
       *
       * @maxItems 10
       */
      ports?: number[];
    };
    /**
     * The Dapr control plane (operator, sentry, placement) every sidecar talks to.
     */
    daprControlPlane: {
      /**
       * Labels of the namespaces the peer's pods run in (absent: the Ecosystem's namespace).
       */
      namespaceLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * Labels of the peer's pods (absent with namespaceLabels: every pod of those namespaces).
       */
      podLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * CIDRs of a peer outside the cluster (a managed broker or database).
       *
       * @maxItems 20
       */
      ipBlocks?: string[];
      /**
       * Ports allowed to it (absent: every port).
       *
       * @maxItems 10
       */
      ports?: number[];
    };
    /**
     * The internal bus's broker: core pods and the bus gateway only.
     */
    internalBroker: {
      /**
       * Labels of the namespaces the peer's pods run in (absent: the Ecosystem's namespace).
       */
      namespaceLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * Labels of the peer's pods (absent with namespaceLabels: every pod of those namespaces).
       */
      podLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * CIDRs of a peer outside the cluster (a managed broker or database).
       *
       * @maxItems 20
       */
      ipBlocks?: string[];
      /**
       * Ports allowed to it (absent: every port).
       *
       * @maxItems 10
       */
      ports?: number[];
    };
    /**
     * The corporate bus's broker: modules outside the core and the bus gateway only.
     */
    corporateBroker: {
      /**
       * Labels of the namespaces the peer's pods run in (absent: the Ecosystem's namespace).
       */
      namespaceLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * Labels of the peer's pods (absent with namespaceLabels: every pod of those namespaces).
       */
      podLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * CIDRs of a peer outside the cluster (a managed broker or database).
       *
       * @maxItems 20
       */
      ipBlocks?: string[];
      /**
       * Ports allowed to it (absent: every port).
       *
       * @maxItems 10
       */
      ports?: number[];
    };
    /**
     * The modules' and the gateway ledger's databases.
     */
    databases: {
      /**
       * Labels of the namespaces the peer's pods run in (absent: the Ecosystem's namespace).
       */
      namespaceLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * Labels of the peer's pods (absent with namespaceLabels: every pod of those namespaces).
       */
      podLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * CIDRs of a peer outside the cluster (a managed broker or database).
       *
       * @maxItems 20
       */
      ipBlocks?: string[];
      /**
       * Ports allowed to it (absent: every port).
       *
       * @maxItems 10
       */
      ports?: number[];
    };
    /**
     * Partner endpoints: the bus gateway only (default anywhere).
     */
    partners: {
      /**
       * Labels of the namespaces the peer's pods run in (absent: the Ecosystem's namespace).
       */
      namespaceLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * Labels of the peer's pods (absent with namespaceLabels: every pod of those namespaces).
       */
      podLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * CIDRs of a peer outside the cluster (a managed broker or database).
       *
       * @maxItems 20
       */
      ipBlocks?: string[];
      /**
       * Ports allowed to it (absent: every port).
       *
       * @maxItems 10
       */
      ports?: number[];
    };
    /**
     * What modules outside the core may reach besides the above (default nothing).
     */
    corporateEgress: {
      /**
       * Labels of the namespaces the peer's pods run in (absent: the Ecosystem's namespace).
       */
      namespaceLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * Labels of the peer's pods (absent with namespaceLabels: every pod of those namespaces).
       */
      podLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * CIDRs of a peer outside the cluster (a managed broker or database).
       *
       * @maxItems 20
       */
      ipBlocks?: string[];
      /**
       * Ports allowed to it (absent: every port).
       *
       * @maxItems 10
       */
      ports?: number[];
    };
    /**
     * Prometheus: may scrape every module's and the gateway's http port (/metrics, the chart's PodMonitor) and the sidecars' metrics port.
     */
    monitoring: {
      /**
       * Labels of the namespaces the peer's pods run in (absent: the Ecosystem's namespace).
       */
      namespaceLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * Labels of the peer's pods (absent with namespaceLabels: every pod of those namespaces).
       */
      podLabels?: {
        [k: string]: string | undefined;
      };
      /**
       * CIDRs of a peer outside the cluster (a managed broker or database).
       *
       * @maxItems 20
       */
      ipBlocks?: string[];
      /**
       * Ports allowed to it (absent: every port).
       *
       * @maxItems 10
       */
      ports?: number[];
    };
  };
  /**
   * The HMAC key the bus gateway signs exported messages with (BusRoute sign: true), as a key of a Secret.
   */
  signingKeySecretRef?: {
    /**
     * Name of the Secret, in the Ecosystem's namespace.
     */
    name: string;
    /**
     * Key of the Secret holding the signing key.
     */
    key: string;
  };
  /**
   * Distributed tracing of the Dapr sidecars.
   */
  tracing: {
    /**
     * Share of requests traced, "0" to "1" (default 0.1).
     */
    samplingRate: string;
    /**
     * Zipkin-compatible collector URL, e.g. http://otel-collector.observability:9411/api/v2/spans.
     */
    zipkinEndpoint?: string;
  };
}
/**
 * The observed state, written by the operator.
 */
export interface EcosystemStatus {
  /**
   * The metadata.generation this status describes.
   */
  observedGeneration?: number;
  /**
   * Ready (the ecosystem can carry messages), BusesConfigured (both Dapr pub/sub components rendered, and loaded by the bus gateway's sidecar as the gateway reports in gatewaySidecar), GatewayAvailable (the bus gateway's Deployment is available) and ModulesReady.
   */
  conditions?: Condition[];
  /**
   * Modules that name this ecosystem.
   */
  modules?: {
    /**
     * Modules whose Ready condition is True.
     */
    ready?: number;
    /**
     * All modules that name this ecosystem.
     */
    total?: number;
  };
  /**
   * ready/total, for kubectl get.
   */
  modulesReady?: string;
  /**
   * Name of the Dapr Component of the internal bus.
   */
  internalBusComponent?: string;
  /**
   * Name of the Dapr Component of the corporate bus.
   */
  corporateBusComponent?: string;
  /**
   * Dapr app-id of the bus gateway.
   */
  gatewayAppId?: string;
  /**
   * Dead letters with reason PartnerRemoved: messages that were waiting for a PartnerIntegration when it was deleted, renamed or switched to inbound. Written by the bus gateway; replay them to another partner (the gateway's `POST /v1/deadletters/replay` with `partner` and `to`).
   */
  partnerRemoved?: number;
  /**
   * Dead letters the bus gateway holds, counted by kind, target and topic; written by the gateway, and copied by the operator onto the BusRoutes and EcosystemModules they belong to. List and replay them with `kubectl symbiont deadletters`.
   *
   * @maxItems 1000
   *
   * Items: Dead letters of one kind, target and topic.
   */
  deadLetters?: {
    /**
     * partner (a delivery to a partner), export or import (a BusRoute crossing), inbound (a partner's webhook), drop (a message a subscriber refused, that Dapr moved to the dead-letter topic).
     */
    kind: "partner" | "export" | "import" | "inbound" | "drop";
    /**
     * The partner's name, the BusRoute's name, or for drops the Dapr pub/sub Component (bus) the message was on.
     */
    target: string;
    /**
     * The topic the message was published on.
     */
    topic: string;
    /**
     * Dead letters of this kind, target and topic.
     */
    count: number;
  }[];
  /**
   * What the bus gateway's Dapr sidecar (daprd) has loaded, as the gateway reads it from the sidecar's metadata API (/v1.0/metadata) at each status report; written by the gateway. BusesConfigured is False while a component the gateway needs is not loaded (ComponentLoadFailed) or the sidecar does not answer (SidecarUnavailable: daprd exits when a component fails to initialise).
   */
  gatewaySidecar?: {
    /**
     * Whether the sidecar's metadata API answered at the last report.
     */
    reachable: boolean;
    /**
     * Components the gateway needs (its two buses, its outbound partners' bindings) that the sidecar has not loaded.
     *
     * @maxItems 200
     */
    missingComponents?: string[];
    /**
     * The components the gateway needs, loaded or not.
     *
     * @maxItems 200
     */
    neededComponents?: string[];
  };
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

export interface Ecosystem extends KubeObject, EcosystemBody {
  apiVersion: "symbiont.dev/v1alpha1";
  kind: "Ecosystem";
}
