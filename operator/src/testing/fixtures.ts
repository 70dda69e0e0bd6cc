import type { EcosystemModule, EcosystemModuleSpec } from "../api/ecosystem-module.types.js";
import type { Ecosystem, EcosystemSpec } from "../api/ecosystem.types.js";
import type { BusRoute, BusRouteSpec } from "../api/bus-route.types.js";
import type {
  PartnerIntegration,
  PartnerIntegrationSpec,
} from "../api/partner-integration.types.js";

// Objects as the API server returns them (defaults applied), for unit tests.

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function anEcosystem(name = "acme", spec: DeepPartial<EcosystemSpec> = {}): Ecosystem {
  return {
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "Ecosystem",
    metadata: { name, namespace: "shop", uid: `uid-${name}`, generation: 1 },
    spec: {
      internalBus: {
        type: "redis",
        connection: { secretRef: { name: "internal-bus" } },
        allowLossySettings: false,
      },
      corporateBus: {
        type: "rabbitmq",
        connection: { secretRef: { name: "corporate-bus" } },
        allowLossySettings: false,
      },
      ...(spec as Partial<EcosystemSpec>),
      delivery: {
        maxAttempts: 10,
        backoff: { initial: "1s", max: "5m" },
        bufferTTL: "24h",
        deadLetter: true,
        ordered: true,
        ...(spec.delivery as object),
      },
      gateway: {
        replicas: 1,
        ledgerRetention: "168h",
        ...(spec.gateway as object),
        bulkSubscribe: {
          enabled: true,
          maxMessages: 100,
          maxAwaitMs: 1,
          ...(spec.gateway?.bulkSubscribe as object),
        },
      },
      security: {
        mtls: true,
        networkPolicies: true,
        daprControlPlane: {
          trustDomain: "cluster.local",
          sentryAddress: "dapr-sentry.dapr-system.svc.cluster.local:443",
        },
        tracing: { samplingRate: "0.1" },
        // The CRD's defaults (crds/ecosystems.symbiont.dev.yaml).
        network: {
          dns: {
            namespaceLabels: { "kubernetes.io/metadata.name": "kube-system" },
            podLabels: { "k8s-app": "kube-dns" },
            ports: [53],
          },
          daprControlPlane: { namespaceLabels: { "kubernetes.io/metadata.name": "dapr-system" } },
          internalBroker: { podLabels: { "symbiont.dev/broker": "internal" } },
          corporateBroker: { podLabels: { "symbiont.dev/broker": "corporate" } },
          databases: { podLabels: { "symbiont.dev/database": "true" } },
          partners: { ipBlocks: ["0.0.0.0/0"] },
          corporateEgress: {},
          monitoring: { namespaceLabels: { "symbiont.dev/scrape": "true" } },
        },
        ...(spec.security as object),
      },
    } as EcosystemSpec,
  };
}

export function aModule(name: string, spec: Partial<EcosystemModuleSpec> = {}): EcosystemModule {
  return {
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "EcosystemModule",
    metadata: { name, namespace: "shop", uid: `uid-${name}`, generation: 1 },
    spec: {
      ecosystemRef: { name: "acme" },
      tier: "core",
      type: "custom",
      image: `ghcr.io/symbiont-dev/${name}:0.1.0`,
      port: 8080,
      replicas: 1,
      probes: { enabled: true },
      ...spec,
    },
  };
}

export function aPartner(
  name: string,
  spec: Partial<PartnerIntegrationSpec> = {},
): PartnerIntegration {
  return {
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "PartnerIntegration",
    metadata: { name, namespace: "shop", uid: `uid-${name}`, generation: 1 },
    spec: {
      ecosystemRef: { name: "acme" },
      category: "messaging",
      direction: "outbound",
      allowPlainHttp: false,
      endpoint: `https://${name}.example.com/hooks`,
      auth: { type: "none" },
      binding: { type: "http", timeout: "10s" },
      rateLimit: { requestsPerSecond: 50, burst: 100 },
      consumes: ["notification.sms"],
      ...spec,
    },
  };
}

export function aRoute(
  name: string,
  spec: Partial<BusRouteSpec> = {},
  created = "2026-01-01T00:00:00Z",
): BusRoute {
  return {
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "BusRoute",
    metadata: {
      name,
      namespace: "shop",
      uid: `uid-${name}`,
      generation: 1,
      creationTimestamp: created,
    },
    spec: {
      ecosystemRef: { name: "acme" },
      topic: "customer.created",
      direction: "export",
      schema: { type: "object" },
      sign: false,
      ...spec,
    },
  };
}
