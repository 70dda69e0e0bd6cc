import type { V1EnvVar } from "@kubernetes/client-node";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { contentHash, daprConfigName, gatewayRoleName } from "../../dapr/names.js";
import {
  corporateBusName,
  gatewayName,
  internalBusName,
  signingKeyEnv,
  type GatewayFileInput,
} from "@symbiont/contracts";
import type {
  ConfigMap,
  Deployment,
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
} from "../shared/pod-template.js";

// The bus gateway: the only app on both buses (DESIGN "Buses"). Its configuration is a
// ConfigMap; a hash of it in the pod template rolls the gateway when routes or partners
// change. Secrets reach it only as environment variables from secretKeyRefs.

export const gatewayPort = 8080;
export const gatewayConfigPath = "/etc/symbiont/gateway/config.json";

export interface SecretEnv {
  name: string;
  secretName: string;
  key: string;
}

export function desiredGateway(
  ecosystem: Ecosystem,
  config: GatewayFileInput,
  secretEnv: SecretEnv[],
): [ServiceAccount, Role, RoleBinding, ConfigMap, Deployment, Service] {
  const eco = ecosystem.metadata.name;
  const namespace = ecosystem.metadata.namespace;
  const name = gatewayName(eco);
  const labels = ecosystemLabels(eco, "bus-gateway", name);
  const configJson = `${JSON.stringify(config, null, 2)}\n`;
  const { gateway, security } = ecosystem.spec;
  const env: V1EnvVar[] = [
    { name: "PORT", value: String(gatewayPort) },
    { name: "SYMBIONT_ECOSYSTEM", value: eco },
    { name: "SYMBIONT_MODULE", value: name },
    { name: "SYMBIONT_APP_ID", value: name },
    { name: "SYMBIONT_PUBSUB_INTERNAL", value: internalBusName(eco) },
    { name: "SYMBIONT_PUBSUB_CORPORATE", value: corporateBusName(eco) },
    { name: "SYMBIONT_GATEWAY_CONFIG", value: gatewayConfigPath },
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
      // It reports delivery counts on PartnerIntegrations and raises Events for dead letters.
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
        { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
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
        // One ledger writer: the old pod stops before the new one starts.
        strategy: { type: "Recreate" },
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels,
            annotations: {
              ...daprAnnotations(name, gatewayPort, daprConfigName(eco)),
              "symbiont.dev/config-hash": contentHash(configJson),
            },
          },
          spec: {
            serviceAccountName: name,
            securityContext: podSecurityContext,
            containers: [
              {
                name: "gateway",
                image: gateway.image,
                ports: [{ name: "http", containerPort: gatewayPort, protocol: "TCP" }],
                env,
                volumeMounts: [
                  { name: "config", mountPath: "/etc/symbiont/gateway", readOnly: true },
                ],
                ...httpProbes("http"),
                ...(resources ? { resources } : {}),
                securityContext: containerSecurityContext,
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
        ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
      },
    },
  ];
}
