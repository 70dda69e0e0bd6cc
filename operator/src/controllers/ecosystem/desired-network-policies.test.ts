import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../kube/kube-object.js";
import { aModule, anEcosystem } from "../../testing/fixtures.js";
import {
  connectionAllowed,
  inCidr,
  selects,
  type Endpoint,
  type Port,
} from "../../testing/network-policy-evaluator.js";
import { moduleLabels } from "../module/desired-children.js";
import { ecosystemLabels } from "../shared/labels.js";
import { desiredNetworkPolicies, scrapePortName } from "./desired-network-policies.js";

const shop = { "kubernetes.io/metadata.name": "shop" };
const pod = (
  labels: Record<string, string>,
  namespace = "shop",
  nsLabels: Record<string, string> = shop,
): Endpoint => ({
  kind: "pod",
  namespace,
  namespaceLabels: nsLabels,
  labels,
});
const crm = pod(moduleLabels(aModule("crm")));
const mdm = pod(moduleLabels(aModule("mdm")));
const site = pod(moduleLabels(aModule("site", { tier: "front-office", type: "site" })));
const accounting = pod(moduleLabels(aModule("books", { tier: "servicing", type: "custom" })));
const gateway = pod(ecosystemLabels("acme", "bus-gateway", "acme-bus-gateway"));
const internalBroker = pod({ "symbiont.dev/broker": "internal" });
const corporateBroker = pod({ "symbiont.dev/broker": "corporate" });
const database = pod({ "symbiont.dev/database": "true" });
const dns = pod({ "k8s-app": "kube-dns" }, "kube-system", {
  "kubernetes.io/metadata.name": "kube-system",
});
const sentry = pod({ app: "dapr-sentry" }, "dapr-system", {
  "kubernetes.io/metadata.name": "dapr-system",
});
const prometheus = pod({ app: "prometheus" }, "monitoring", { "symbiont.dev/scrape": "true" });
const stranger = pod({ app: "prometheus" }, "other", { "kubernetes.io/metadata.name": "other" });
const partner: Endpoint = { kind: "external", ip: "203.0.113.5" };

const http: Port = { port: 8080, name: "http" };
const dnsPort: Port = { port: 53, protocol: "UDP" };
const redis: Port = { port: 6379 };
const amqp: Port = { port: 5672 };
const https: Port = { port: 443 };
const mongo: Port = { port: 27017 };
const sidecarMetrics: Port = { port: 9090 };
const sidecarHttp: Port = { port: 3500 };

const policies = desiredNetworkPolicies(anEcosystem());

describe("desiredNetworkPolicies, evaluated", () => {
  it.each([
    ["a core pod", "DNS", true, crm, dns, dnsPort],
    ["a core pod", "the Dapr control plane", true, crm, sentry, { port: 50001 }],
    ["a core pod", "the internal broker", true, crm, internalBroker, redis],
    ["a core pod", "its database", true, crm, database, mongo],
    ["a core pod", "another core pod (data moves over the bus)", false, crm, mdm, http],
    ["a core pod", "the corporate broker", false, crm, corporateBroker, amqp],
    ["a core pod", "a partner endpoint", false, crm, partner, https],
    ["a core pod", "a front-office pod", false, crm, site, http],
    ["a front-office pod", "a core pod", false, site, crm, http],
    ["a front-office pod", "a core pod's sidecar", false, site, crm, { port: 50002 }],
    ["a servicing pod", "a core pod", false, accounting, crm, http],
    ["a front-office pod", "the internal broker", false, site, internalBroker, redis],
    ["a front-office pod", "the corporate broker", true, site, corporateBroker, amqp],
    ["a front-office pod", "DNS", true, site, dns, dnsPort],
    ["a front-office pod", "a partner endpoint", false, site, partner, https],
    ["the gateway", "the internal broker", true, gateway, internalBroker, redis],
    ["the gateway", "the corporate broker", true, gateway, corporateBroker, amqp],
    ["the gateway", "a partner endpoint", true, gateway, partner, https],
    ["the gateway", "its ledger database", true, gateway, database, mongo],
    ["monitoring", "a core pod's scrape port", true, prometheus, crm, http],
    ["monitoring", "a core pod's sidecar metrics", true, prometheus, crm, sidecarMetrics],
    ["monitoring", "a core pod's sidecar API", false, prometheus, crm, sidecarHttp],
    ["a pod of another namespace", "a core pod", false, stranger, crm, http],
  ] as const)("when %s connects to %s, then allowed is %s", (_a, _b, allowed, from, to, port) => {
    expect(connectionAllowed(policies, from, to, port)).toBe(allowed);
  });

  it("then no egress rule names an empty peer list (that would allow every destination)", () => {
    const rules = policies.flatMap(
      (p) => (p as KubeObject & { spec: { egress?: { to?: unknown[] }[] } }).spec.egress ?? [],
    );
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule.to?.length).toBeGreaterThan(0);
  });

  it("then the port monitoring may reach is the one the chart's PodMonitor scrapes", () => {
    const template = readFileSync(
      join(import.meta.dirname, "../../../../charts/symbiont/templates/podmonitor.yaml"),
      "utf8",
    );
    expect(template).toMatch(new RegExp(`^\\s+- port: ${scrapePortName}$`, "m"));
  });

  it("when corporateEgress names a CIDR, then modules outside the core reach it and core pods still do not", () => {
    const opened = desiredNetworkPolicies(
      anEcosystem("acme", {
        security: {
          network: {
            ...anEcosystem().spec.security.network,
            corporateEgress: { ipBlocks: ["203.0.113.0/24"], ports: [443] },
          },
        },
      }),
    );
    expect(connectionAllowed(opened, site, partner, https)).toBe(true);
    expect(connectionAllowed(opened, site, partner, { port: 80 })).toBe(false);
    expect(connectionAllowed(opened, crm, partner, https)).toBe(false);
  });
});

describe("per-module databases (network.databaseOwnerLabel)", () => {
  const owner = "symbiont.dev/database-of";
  const databaseOf = (module: string) => pod({ "symbiont.dev/database": "true", [owner]: module });
  const managed: Endpoint = { kind: "external", ip: "10.20.0.7" };
  const network = (databases = anEcosystem().spec.security.network.databases) => ({
    ...anEcosystem().spec.security.network,
    databaseOwnerLabel: owner,
    databases,
  });
  const modules = [
    aModule("crm"),
    aModule("mdm"),
    aModule("site", { tier: "front-office", type: "site" }),
  ];
  const narrowed = desiredNetworkPolicies(
    anEcosystem("acme", { security: { network: network() } }),
    modules,
  );

  it.each([
    ["crm", "its own database", true, crm, databaseOf("crm")],
    ["crm", "mdm's database", false, crm, databaseOf("mdm")],
    ["crm", "a database nobody owns", false, crm, database],
    ["mdm", "its own database", true, mdm, databaseOf("mdm")],
    ["mdm", "crm's database", false, mdm, databaseOf("crm")],
    [
      "a front-office pod",
      "a core module's database (as before: not narrowed)",
      true,
      site,
      databaseOf("crm"),
    ],
    [
      "the gateway",
      "crm's database (as before: its ledger may be anywhere)",
      true,
      gateway,
      databaseOf("crm"),
    ],
  ] as const)("when %s connects to %s, then allowed is %s", (_a, _b, allowed, from, to) => {
    expect(connectionAllowed(narrowed, from, to, mongo)).toBe(allowed);
  });

  it("then each core module gets its own policy, and a module outside the core none", () => {
    expect(narrowed.map((p) => p.metadata.name)).toEqual(
      expect.arrayContaining(["acme-crm-database", "acme-mdm-database"]),
    );
    expect(narrowed.map((p) => p.metadata.name)).not.toContain("acme-site-database");
  });

  it("when the databases are also named by CIDR, then every core pod still reaches those, on the databases' ports", () => {
    const withCidr = desiredNetworkPolicies(
      anEcosystem("acme", {
        security: {
          network: network({
            podLabels: { "symbiont.dev/database": "true" },
            ipBlocks: ["10.20.0.0/16"],
            ports: [27017],
          }),
        },
      }),
      modules,
    );
    expect(connectionAllowed(withCidr, crm, managed, mongo)).toBe(true);
    expect(connectionAllowed(withCidr, crm, managed, { port: 5432 })).toBe(false);
    expect(connectionAllowed(withCidr, crm, databaseOf("mdm"), mongo)).toBe(false);
    expect(connectionAllowed(withCidr, crm, databaseOf("crm"), mongo)).toBe(true);
  });

  it("when a module is being deleted, then its policy is not rendered", () => {
    const leaving = {
      ...aModule("mdm"),
      metadata: { ...aModule("mdm").metadata, deletionTimestamp: "2026-01-01T00:00:00Z" },
    };
    const names = desiredNetworkPolicies(
      anEcosystem("acme", { security: { network: network() } }),
      [aModule("crm"), leaving],
    ).map((p) => p.metadata.name);
    expect(names).toContain("acme-crm-database");
    expect(names).not.toContain("acme-mdm-database");
  });

  it("when the label is not set, then every core pod reaches every database, as before", () => {
    const open = desiredNetworkPolicies(anEcosystem(), modules);
    expect(connectionAllowed(open, crm, databaseOf("mdm"), mongo)).toBe(true);
    expect(open.map((p) => p.metadata.name)).not.toContain("acme-crm-database");
  });
});

describe("network policies switched off", () => {
  it("when networkPolicies is off, then none is rendered", () => {
    expect(
      desiredNetworkPolicies(anEcosystem("acme", { security: { networkPolicies: false } })),
    ).toEqual([]);
  });
});

describe("the policy evaluator", () => {
  it.each([
    ["10.1.2.3", "10.0.0.0/8", true],
    ["11.1.2.3", "10.0.0.0/8", false],
    ["203.0.113.5", "0.0.0.0/0", true],
    ["203.0.113.5", "203.0.113.5/32", true],
    ["203.0.113.6", "203.0.113.5/32", false],
  ])("when %s is checked against %s, then it is inside: %s", (ip, cidr, inside) => {
    expect(inCidr(ip, cidr)).toBe(inside);
  });

  it.each([
    [{ matchLabels: { a: "1" } }, { a: "1", b: "2" }, true],
    [{ matchLabels: { a: "1" } }, { a: "2" }, false],
    [{ matchExpressions: [{ key: "t", operator: "In", values: ["x", "y"] }] }, { t: "y" }, true],
    [{ matchExpressions: [{ key: "t", operator: "In", values: ["x"] }] }, {}, false],
    [{ matchExpressions: [{ key: "t", operator: "NotIn", values: ["x"] }] }, {}, true],
    [{ matchExpressions: [{ key: "t", operator: "Exists" }] }, { t: "" }, true],
    [{ matchExpressions: [{ key: "t", operator: "DoesNotExist" }] }, { t: "" }, false],
    [{}, { any: "thing" }, true],
  ])("when selector %j meets labels %j, then it selects: %s", (selector, labels, expected) => {
    expect(selects(selector, labels)).toBe(expected);
  });

  it("when no policy selects a pod, then it is not isolated; when an egress policy names nothing, then everything is refused", () => {
    expect(connectionAllowed([], site, partner, https)).toBe(true);
    const isolating = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "deny", namespace: "shop" },
      spec: { podSelector: {}, policyTypes: ["Egress"], egress: [] },
    } as KubeObject;
    expect(connectionAllowed([isolating], site, partner, https)).toBe(false);
    expect(connectionAllowed([isolating], partner, site, https)).toBe(true);
  });
});
