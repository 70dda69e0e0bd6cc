import { describe, expect, it } from "vitest";
import type { DaprResiliency, DaprSubscription } from "../dapr/dapr-resources.js";
import type { Deployment, NetworkPolicy } from "./kube-models.js";

// The point of typed children is what the compiler refuses: each `@ts-expect-error` below
// fails `make lint` (tsc) the day the types stop catching that mistake.

describe("typed children", () => {
  it("when a Deployment's field is misspelt or its kind is wrong, then tsc refuses it", () => {
    const wrongKind: Deployment = {
      apiVersion: "apps/v1",
      // @ts-expect-error: a Deployment's kind is "Deployment"
      kind: "Deploymnet",
      metadata: { name: "crm" },
    };
    const misspelt: Deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "crm" },
      spec: {
        // @ts-expect-error: the field is `replicas`
        replica: 2,
        selector: {},
        template: {},
      },
    };
    const misplaced: Deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "crm" },
      spec: {
        selector: {},
        template: {
          spec: {
            // @ts-expect-error: a port's number is `containerPort`
            containers: [{ name: "module", ports: [{ name: "http", port: 8080 }] }],
          },
        },
      },
    };
    expect([wrongKind, misspelt, misplaced].map((d) => d.metadata.name)).toEqual([
      "crm",
      "crm",
      "crm",
    ]);
  });

  it("when a NetworkPolicy names its peers, then it is `from` as the API server reads it, not client-node's `_from`", () => {
    const policy: NetworkPolicy = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "core" },
      spec: {
        podSelector: {},
        ingress: [
          { from: [{ podSelector: {} }] },
          // @ts-expect-error: `_from` is client-node's name, not the JSON field
          { _from: [{ podSelector: {} }] },
        ],
      },
    };
    expect(policy.spec?.ingress).toHaveLength(2);
  });

  it("when a Dapr Subscription or Resiliency field is misspelt, then tsc refuses it", () => {
    const subscription: DaprSubscription = {
      apiVersion: "dapr.io/v2alpha1",
      kind: "Subscription",
      metadata: { name: "crm-internal-customer-created" },
      spec: {
        pubsubname: "acme-internal-bus",
        topic: "customer.created",
        routes: { default: "/events/customer.created" },
        // @ts-expect-error: the field is `deadLetterTopic`
        deadLetter: "customer.created.deadletter",
      },
    };
    const resiliency: DaprResiliency = {
      apiVersion: "dapr.io/v1alpha1",
      kind: "Resiliency",
      metadata: { name: "acme-delivery" },
      spec: {
        // @ts-expect-error: a retry policy is "constant" or "exponential"
        policies: { retries: { delivery: { policy: "linear" } } },
        targets: {},
      },
    };
    expect([subscription.kind, resiliency.kind]).toEqual(["Subscription", "Resiliency"]);
  });
});
