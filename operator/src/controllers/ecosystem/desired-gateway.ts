import type { V1EnvVar } from "@kubernetes/client-node";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { operatorBuild } from "../../metrics/operator-metrics.js";
import { contentHash, daprConfigName, gatewayRoleName } from "../../dapr/names.js";
import {
  appTokenEnv,
  appTokenSecretKey,
  corporateBusName,
  gatewayAppTokenSecretName,
  gatewayName,
  gatewayPorts,
  internalBusName,
  signingKeyEnv,
  type GatewayFileInput,
} from "@symbiont/contracts";
import type {
  ConfigMap,
  Deployment,
  PodDisruptionBudget,
  Role,
  RoleBinding,
  Service,
  ServiceAccount,
} from "../../kube/kube-models.js";
import { componentLabel, ecosystemLabel, ecosystemLabels } from "../shared/labels.js";
import {
  compactResources,
  containerSecurityContext,
  daprAnnotations,
  httpProbes,
  podSecurityContext,
  templatePodMetadata,
  templatePodSpec,
} from "../shared/pod-template.js";

// The bus gateway: the only app on both buses (DESIGN "Buses"). Its configuration is a
// ConfigMap; a hash of it in the pod template rolls the gateway when routes or partners
// change. Secrets reach it only as environment variables from secretKeyRefs.
//
// Its replicas elect the active one on a Lease (the ledger has one writer); the others pass
// what reaches them to it and take over within the Lease's duration when it goes. Without
// ordered delivery a rolling update starts the new pod first, so some replica always takes
// messages; with ordered delivery two pods would be two consumers of each topic, so the old
// pod stops first (Recreate) and the CRD keeps such an Ecosystem at one replica.

/** What its Dapr sidecar calls (deliveries), probes and metrics. */
export const gatewayPort = gatewayPorts.http;
/** Partner webhooks (`/inbound/*`) only: the one port in the gateway's Service. */
export const gatewayPublicPort = gatewayPorts.webhooks;
/** The admin API (dead letters, replay, the ledger; RBAC decides who): in no Service. */
export const gatewayAdminPort = gatewayPorts.admin;
export const gatewayConfigPath = "/etc/symbiont/gateway/config.json";

/**
 * The gateway image of this operator's release: the operator, not each Ecosystem, decides it,
 * so upgrading the operator (helm upgrade) upgrades every gateway that names no image.
 */
export function defaultGatewayImage(version = operatorBuild().version): string {
  return `ghcr.io/symbiont-dev/bus-gateway:${version}`;
}

export interface SecretEnv {
  name: string;
  secretName: string;
  key: string;
}

export function desiredGateway(
  ecosystem: Ecosystem,
  config: GatewayFileInput,
  secretEnv: SecretEnv[],
  /** The operator's gateway image, for an Ecosystem that names none. */
  defaultImage: string,
): Array<
  ServiceAccount | Role | RoleBinding | ConfigMap | Deployment | Service | PodDisruptionBudget
> {
  const eco = ecosystem.metadata.name;
  const namespace = ecosystem.metadata.namespace;
  const name = gatewayName(eco);
  const labels = ecosystemLabels(eco, "bus-gateway", name);
  const configJson = `${JSON.stringify(config, null, 2)}\n`;
  const { gateway, security } = ecosystem.spec;
  const rolling = !ecosystem.spec.delivery.ordered;
  const env: V1EnvVar[] = [
    // Replicas (and the two pods of a rolling update) elect the active one on this Lease; the
    // others reach it at its pod's address. With ordered delivery there is only ever one pod,
    // and it does not depend on the Kubernetes API to carry messages.
    ...(rolling
      ? [
          { name: "SYMBIONT_GATEWAY_LEASE", value: name },
          { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        ]
      : []),
    { name: "PORT", value: String(gatewayPort) },
    { name: "SYMBIONT_PUBLIC_PORT", value: String(gatewayPublicPort) },
    { name: "SYMBIONT_ADMIN_PORT", value: String(gatewayAdminPort) },
    { name: "SYMBIONT_ECOSYSTEM", value: eco },
    { name: "SYMBIONT_MODULE", value: name },
    { name: "SYMBIONT_APP_ID", value: name },
    { name: "SYMBIONT_PUBSUB_INTERNAL", value: internalBusName(eco) },
    { name: "SYMBIONT_PUBSUB_CORPORATE", value: corporateBusName(eco) },
    { name: "SYMBIONT_GATEWAY_CONFIG", value: gatewayConfigPath },
    // The token its sidecar presents on deliveries (the same Secret daprd reads).
    {
      name: appTokenEnv,
      valueFrom: {
        secretKeyRef: { name: gatewayAppTokenSecretName(eco), key: appTokenSecretKey },
      },
    },
    ...(gateway.ledger
      ? [
          {
            name: "DATABASE_URL",
            valueFrom: {
              secretKeyRef: {
                name: gateway.ledger.secretRef.name,
                key: gateway.ledger.secretRef.key,
              },
            },
          },
        ]
      : []),
    ...(security.signingKeySecretRef
      ? [{ name: signingKeyEnv, valueFrom: { secretKeyRef: { ...security.signingKeySecretRef } } }]
      : []),
    ...[...secretEnv]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => ({
        name: s.name,
        valueFrom: { secretKeyRef: { name: s.secretName, key: s.key } },
      })),
  ];
  const resources = compactResources(gateway.resources);
  const selector = { [ecosystemLabel]: eco, [componentLabel]: "bus-gateway" };
  return [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name, namespace, labels },
      automountServiceAccountToken: true,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: gatewayRoleName(eco), namespace, labels },
      // It reports delivery counts on PartnerIntegrations and its Ecosystem, and raises Events
      // for dead letters.
      rules: [
        {
          apiGroups: ["symbiont.dev"],
          resources: ["partnerintegrations"],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: ["symbiont.dev"],
          resources: ["partnerintegrations/status"],
          verbs: ["get", "patch", "update"],
        },
        // Its dead letters by kind, target and topic, in status.deadLetters; the replay
        // annotation, read and removed once done.
        {
          apiGroups: ["symbiont.dev"],
          resources: ["ecosystems/status"],
          resourceNames: [eco],
          verbs: ["patch"],
        },
        {
          apiGroups: ["symbiont.dev"],
          resources: ["ecosystems"],
          resourceNames: [eco],
          verbs: ["get", "patch"],
        },
        // It executes the Redeliveries of its namespace that name its Ecosystem.
        {
          apiGroups: ["symbiont.dev"],
          resources: ["redeliveries"],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: ["symbiont.dev"],
          resources: ["redeliveries/status"],
          verbs: ["get", "patch", "update"],
        },
        { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
        // Its replicas' Lease (create cannot be limited to a name).
        ...(rolling
          ? [
              {
                apiGroups: ["coordination.k8s.io"],
                resources: ["leases"],
                resourceNames: [name],
                verbs: ["get", "update"],
              },
              { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
            ]
          : []),
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: gatewayRoleName(eco), namespace, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: gatewayRoleName(eco) },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name, namespace, labels },
      data: { "config.json": configJson },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace, labels },
      spec: {
        replicas: gateway.replicas,
        // The new pod stands by until the old one releases the Lease: never zero pods taking
        // messages. With ordered delivery the old pod stops before the new one starts.
        strategy: rolling
          ? { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
          : { type: "Recreate" },
        selector: { matchLabels: selector },
        template: {
          metadata: templatePodMetadata(gateway.template, labels, {
            ...daprAnnotations(name, gatewayPort, daprConfigName(eco)),
            // daprd sends this Secret's token to the gateway on every delivery.
            "dapr.io/app-token-secret": gatewayAppTokenSecretName(eco),
            "symbiont.dev/config-hash": contentHash(configJson),
          }),
          spec: {
            serviceAccountName: name,
            ...templatePodSpec(gateway.template),
            securityContext: { ...podSecurityContext, ...gateway.template?.securityContext },
            containers: [
              {
                name: "gateway",
                image: gateway.image || defaultImage,
                ports: [
                  { name: "http", containerPort: gatewayPort, protocol: "TCP" },
                  { name: "webhooks", containerPort: gatewayPublicPort, protocol: "TCP" },
                  { name: "admin", containerPort: gatewayAdminPort, protocol: "TCP" },
                ],
                env,
                volumeMounts: [
                  { name: "config", mountPath: "/etc/symbiont/gateway", readOnly: true },
                ],
                ...httpProbes("http"),
                ...(resources ? { resources } : {}),
                securityContext: {
                  ...containerSecurityContext,
                  ...gateway.template?.containerSecurityContext,
                },
              },
            ],
            volumes: [{ name: "config", configMap: { name } }],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace, labels },
      spec: {
        selector,
        // Webhooks only: deliveries come from the sidecar in the pod, the admin API is
        // reached with `kubectl port-forward` or from inside the cluster.
        ports: [{ name: "webhooks", port: 80, targetPort: "webhooks", protocol: "TCP" }],
      },
    },
    // Voluntary disruptions (a node drain) leave a replica to take over.
    ...(gateway.replicas > 1
      ? [
          {
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: { name, namespace, labels },
            spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
          } satisfies PodDisruptionBudget,
        ]
      : []),
  ];
}
