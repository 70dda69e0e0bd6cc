import type {
  CoreV1Event,
  V1ConfigMap,
  V1Deployment,
  V1NetworkPolicy,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1NetworkPolicySpec,
  V1PodDisruptionBudget,
  V1Role,
  V1RoleBinding,
  V1Service,
  V1ServiceAccount,
} from "@kubernetes/client-node";
import type { KubeObject } from "./kube-object.js";

// The built-in kinds the operator renders, typed by client-node's models so the compiler
// catches a misspelt or misplaced field. Types only: the objects stay plain JSON (see
// kube-object.ts), with apiVersion, kind and metadata.name required.

type Model<T, ApiVersion extends string, Kind extends string> = Omit<
  T,
  "apiVersion" | "kind" | "metadata" | "status"
> &
  KubeObject & { apiVersion: ApiVersion; kind: Kind };

export type ServiceAccount = Model<V1ServiceAccount, "v1", "ServiceAccount">;
export type ConfigMap = Model<V1ConfigMap, "v1", "ConfigMap">;
export type Service = Model<V1Service, "v1", "Service">;
export type Deployment = Model<V1Deployment, "apps/v1", "Deployment">;
export type PodDisruptionBudget = Model<V1PodDisruptionBudget, "policy/v1", "PodDisruptionBudget">;
// client-node's model calls an ingress rule's `from` `_from` (its serializer renames it);
// as JSON, which the operator sends, it is `from`.
type NetworkPolicyIngressRule = Omit<V1NetworkPolicyIngressRule, "_from"> & {
  from?: V1NetworkPolicyPeer[];
};
export type NetworkPolicy = Omit<
  Model<V1NetworkPolicy, "networking.k8s.io/v1", "NetworkPolicy">,
  "spec"
> & { spec?: Omit<V1NetworkPolicySpec, "ingress"> & { ingress?: NetworkPolicyIngressRule[] } };
export type Role = Model<V1Role, "rbac.authorization.k8s.io/v1", "Role">;
export type RoleBinding = Model<V1RoleBinding, "rbac.authorization.k8s.io/v1", "RoleBinding">;

// Timestamps travel as RFC 3339 strings (client-node's model has Dates after deserialising).
export type Event = Omit<
  Model<CoreV1Event, "v1", "Event">,
  "eventTime" | "firstTimestamp" | "lastTimestamp"
> & { firstTimestamp?: string; lastTimestamp?: string };
