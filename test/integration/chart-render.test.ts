import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import { OperatorMetrics } from "../../operator/src/metrics/operator-metrics.js";
import { clusterRoleRules, gatewayReviewsName } from "../../operator/src/rbac/permissions.js";
import { crdResources } from "../../hack/chart-sync.js";
import { createMetrics } from "../../services/bus-gateway/src/metrics.js";
import type { Ledger } from "../../services/bus-gateway/src/domain/ledger.js";
import {
  chartPath,
  findObject,
  kubeVersion,
  renderChart,
  runTool,
  type Rendered,
} from "../support/chart.js";

// What `helm lint` and `helm template` make of the chart, with the pinned helm of
// `make tools`: no cluster is involved (chart-install.test.ts installs it for real).

const container = (objects: Rendered[]) =>
  findObject(objects, "Deployment").spec.template.spec.containers[0];
const envOf = (objects: Rendered[]) =>
  Object.fromEntries(
    (container(objects).env as { name: string; value?: string; valueFrom?: unknown }[]).map((e) => [
      e.name,
      e.value ?? e.valueFrom,
    ]),
  );

const allMonitoring = [
  "metrics.serviceMonitor.enabled=true",
  "metrics.podMonitor.enabled=true",
  "metrics.prometheusRule.enabled=true",
  "metrics.dashboards.enabled=true",
];

describe("helm lint", () => {
  it.each([
    ["the default values", []],
    [
      "every optional part turned on",
      [
        ...allMonitoring,
        "watchNamespace=acme",
        "image.digest=sha256:" + "a".repeat(64),
        "topology.ingress.enabled=true",
        "topology.ingress.host=symbiont.example.com",
      ],
    ],
    [
      "one replica without leader election, no CRDs",
      ["replicaCount=1", "leaderElection.enabled=false", "crds.install=false"],
    ],
  ])("when linted with %s, then it passes --strict", async (_what, set) => {
    const result = await runTool("helm", [
      "lint",
      chartPath,
      "--strict",
      "--kube-version",
      kubeVersion,
      ...set.flatMap((value) => ["--set", value]),
    ]);
    expect(result.stderr + result.stdout).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(result.code).toBe(0);
  });
});

describe("helm template with the default values", () => {
  it("then the operator runs 2 replicas with leader election, its lease in the release namespace", async () => {
    const objects = await renderChart([], { namespace: "platform", release: "symbiont" });
    const deployment = findObject(objects, "Deployment", "symbiont");
    expect(deployment.metadata.namespace).toBe("platform");
    expect(deployment.spec.replicas).toBe(2);
    expect(envOf(objects)).toEqual({
      POD_NAME: { fieldRef: { fieldPath: "metadata.name" } },
      SYMBIONT_LEADER_ELECTION: "true",
      SYMBIONT_LEASE_NAME: "symbiont-operator",
      SYMBIONT_LEASE_NAMESPACE: "platform",
      SYMBIONT_LEASE_DURATION_SECONDS: "15",
      SYMBIONT_RENEW_DEADLINE_SECONDS: "10",
      SYMBIONT_RETRY_PERIOD_SECONDS: "2",
      SYMBIONT_HTTP_PORT: "8080",
      SYMBIONT_TOPOLOGY_ENABLED: "true",
      SYMBIONT_TOPOLOGY_PORT: "8081",
      SYMBIONT_GATEWAY_IMAGE: "ghcr.io/symbiont-dev/bus-gateway:0.1.0",
      NODE_OPTIONS: "--max-old-space-size=128",
      SYMBIONT_WORKERS: "8",
      SYMBIONT_KUBE_QPS: "100",
      SYMBIONT_KUBE_BURST: "200",
      LOG_LEVEL: "info",
    });
    expect(container(objects).image).toBe("ghcr.io/symbiont-dev/operator:0.1.0");
    expect(findObject(objects, "PodDisruptionBudget").spec.maxUnavailable).toBe(1);
  });

  it("then the probes and the metrics Service reach /healthz, /readyz and /metrics on the operator's port", async () => {
    const objects = await renderChart();
    const c = container(objects);
    expect(c.ports).toEqual([
      { name: "http", containerPort: 8080, protocol: "TCP" },
      { name: "topology", containerPort: 8081, protocol: "TCP" },
    ]);
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    const service = findObject(objects, "Service", "symbiont-metrics");
    expect(service.spec.ports).toEqual([
      { name: "http-metrics", port: 8080, targetPort: "http", protocol: "TCP" },
    ]);
    expect(service.spec.selector).toEqual(
      findObject(objects, "Deployment").spec.template.metadata.labels,
    );
  });

  it("then the pods meet the restricted Pod Security Standard", async () => {
    const objects = await renderChart();
    const pod = findObject(objects, "Deployment").spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("then the CRDs are those of crds/, each kept on uninstall", async () => {
    const rendered = (await renderChart()).filter((o) => o.kind === "CustomResourceDefinition");
    const source = readManifests(join(repoRoot, "crds"));
    expect(rendered.map((crd) => crd.metadata.name).sort()).toEqual(
      source.map((crd) => crd.metadata.name).sort(),
    );
    for (const crd of rendered) {
      expect(crd.metadata.annotations).toEqual({ "helm.sh/resource-policy": "keep" });
      const { annotations: _kept, ...metadata } = crd.metadata;
      const original = source.find((s) => s.metadata.name === crd.metadata.name)!;
      expect({ ...crd, metadata }, `${crd.metadata.name} differs from crds/`).toEqual(original);
    }
  });

  it("then the operator's RBAC is exactly operator/src/rbac/permissions.ts, with the lease scoped to the release namespace", async () => {
    const objects = await renderChart([], { namespace: "platform" });
    const clusterRole = operatorClusterRole(objects);
    const role = findObject(objects, "Role");
    expect(role.metadata.namespace).toBe("platform");
    expect(role.rules).toEqual([
      {
        apiGroups: ["coordination.k8s.io"],
        resources: ["leases"],
        verbs: ["get", "create", "update"],
      },
    ]);
    const sortRules = (rules: { apiGroups: string[]; resources: string[] }[]) =>
      [...rules].sort((a, b) =>
        `${a.apiGroups}/${a.resources}`.localeCompare(`${b.apiGroups}/${b.resources}`),
      );
    expect(sortRules([...clusterRole.rules, ...role.rules])).toEqual(sortRules(clusterRoleRules()));
    expect(JSON.stringify([clusterRole.rules, role.rules])).not.toContain("*");
    const subject = { kind: "ServiceAccount", name: "symbiont", namespace: "platform" };
    expect(findObject(objects, "ClusterRoleBinding").subjects).toEqual([subject]);
    expect(findObject(objects, "ClusterRoleBinding").roleRef.name).toBe(clusterRole.metadata.name);
    expect(findObject(objects, "RoleBinding").subjects).toEqual([subject]);
    expect(findObject(objects, "ServiceAccount").metadata.name).toBe("symbiont");
  });

  it("then the topology page has its own port behind a ClusterIP Service, and no Ingress", async () => {
    const objects = await renderChart([], { namespace: "platform" });
    const service = findObject(objects, "Service", "symbiont-topology");
    expect(service.metadata.namespace).toBe("platform");
    expect(service.spec.type).toBe("ClusterIP");
    expect(service.spec.ports).toEqual([
      { name: "http-topology", port: 80, targetPort: "topology", protocol: "TCP" },
    ]);
    expect(service.spec.selector).toEqual(
      findObject(objects, "Deployment").spec.template.metadata.labels,
    );
    expect(objects.map((o) => o.kind)).not.toContain("Ingress");
  });

  it("then nothing needs the Prometheus Operator", async () => {
    const kinds = (await renderChart()).map((o) => o.kind);
    expect(kinds).not.toContain("ServiceMonitor");
    expect(kinds).not.toContain("PodMonitor");
    expect(kinds).not.toContain("PrometheusRule");
    expect(kinds.filter((k) => k === "ConfigMap")).toEqual([]);
  });
});

describe("helm template with other values", () => {
  it("when watchNamespace is set, then the operator watches only that namespace, its rights there a Role; only the one cluster-scoped binding stays in a ClusterRole", async () => {
    const objects = await renderChart(["watchNamespace=acme"], { namespace: "platform" });
    expect(envOf(objects)).toMatchObject({ SYMBIONT_WATCH_NAMESPACE: "acme" });
    const role = objects.find((o) => o.kind === "Role" && o.metadata.namespace === "acme")!;
    const clusterRole = operatorClusterRole(objects);
    const lease = objects.find((o) => o.kind === "Role" && o.metadata.namespace === "platform")!;
    const permissions = clusterRoleRules();
    const isClusterScoped = (rule: { resources: string[] }) =>
      rule.resources.some((r) => r.startsWith("cluster"));
    expect(clusterRole.rules.length).toBeGreaterThan(0);
    expect(clusterRole.rules.every(isClusterScoped)).toBe(true);
    expect(role.rules.some(isClusterScoped)).toBe(false);
    const sortRules = (rules: { apiGroups: string[]; resources: string[] }[]) =>
      [...rules].sort((a, b) =>
        `${a.apiGroups}/${a.resources}`.localeCompare(`${b.apiGroups}/${b.resources}`),
      );
    expect(sortRules([...clusterRole.rules, ...role.rules, ...lease.rules])).toEqual(
      sortRules(permissions),
    );
    const binding = objects.find(
      (o) => o.kind === "RoleBinding" && o.metadata.namespace === "acme",
    )!;
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: "symbiont", namespace: "platform" },
    ]);
  });

  it("then view and edit ClusterRoles aggregate every Symbiont kind into the built-in roles, or none when turned off", async () => {
    const objects = await renderChart([]);
    const view = findObject(objects, "ClusterRole", "symbiont-view");
    const edit = findObject(objects, "ClusterRole", "symbiont-edit");
    expect(view.metadata.labels).toMatchObject({
      "rbac.authorization.k8s.io/aggregate-to-view": "true",
    });
    expect(edit.metadata.labels).toMatchObject({
      "rbac.authorization.k8s.io/aggregate-to-edit": "true",
    });
    const plurals = crdResources().map((r) => r.plural);
    const resourcesOf = (role: Rendered) =>
      role.rules.flatMap((rule: { resources: string[] }) => rule.resources);
    for (const plural of plurals) {
      expect(resourcesOf(view)).toContain(plural);
      expect(resourcesOf(edit)).toContain(plural);
    }
    expect(JSON.stringify(view.rules)).not.toMatch(/create|update|patch|delete/);
    expect(resourcesOf(edit)).toEqual(
      expect.arrayContaining(["busgateways/ledger", "busgateways/replay"]),
    );
    const off = await renderChart(["rbac.aggregateToDefaultRoles=false"]);
    expect(off.filter((o) => /-(view|edit)$/.test(o.metadata.name))).toEqual([]);
  });

  it("then the operator gives gateways the chart's gateway image; a registry mirror is one value, a digest wins over the tag", async () => {
    const appVersion = /^appVersion: "?([^"\n]+)"?$/m.exec(
      readFileSync(join(chartPath, "Chart.yaml"), "utf8"),
    )![1];
    expect(envOf(await renderChart([]))).toMatchObject({
      SYMBIONT_GATEWAY_IMAGE: `ghcr.io/symbiont-dev/bus-gateway:${appVersion}`,
    });
    expect(envOf(await renderChart(["gateway.image.registry=mirror.example:5000"]))).toMatchObject({
      SYMBIONT_GATEWAY_IMAGE: `mirror.example:5000/symbiont-dev/bus-gateway:${appVersion}`,
    });
    const digest = "sha256:" + "c".repeat(64);
    expect(
      envOf(await renderChart(["gateway.image.tag=0.9.0", `gateway.image.digest=${digest}`])),
    ).toMatchObject({ SYMBIONT_GATEWAY_IMAGE: `ghcr.io/symbiont-dev/bus-gateway@${digest}` });
  });

  it("when maxHeapMiB is changed or 0, then the operator's heap limit follows or is Node's default", async () => {
    expect(envOf(await renderChart([]))).toMatchObject({
      NODE_OPTIONS: "--max-old-space-size=128",
    });
    expect(envOf(await renderChart(["maxHeapMiB=256"]))).toMatchObject({
      NODE_OPTIONS: "--max-old-space-size=256",
    });
    expect(envOf(await renderChart(["maxHeapMiB=0"]))).not.toHaveProperty("NODE_OPTIONS");
  });

  it("when one replica runs without leader election, then there is no lease Role and no PodDisruptionBudget", async () => {
    const objects = await renderChart(["replicaCount=1", "leaderElection.enabled=false"]);
    expect(findObject(objects, "Deployment").spec.replicas).toBe(1);
    expect(envOf(objects)).toMatchObject({ SYMBIONT_LEADER_ELECTION: "false" });
    const kinds = objects.map((o) => o.kind);
    expect(kinds).not.toContain("Role");
    expect(kinds).not.toContain("RoleBinding");
    expect(kinds).not.toContain("PodDisruptionBudget");
  });

  it("when the topology Ingress is turned on, then it routes its host and path to the page's Service", async () => {
    const objects = await renderChart([
      "topology.ingress.enabled=true",
      "topology.ingress.className=nginx",
      "topology.ingress.host=symbiont.example.com",
      "topology.ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/auth-url=https://auth.example.com/oauth2/auth",
      "topology.ingress.tls[0].secretName=symbiont-tls",
      "topology.ingress.tls[0].hosts[0]=symbiont.example.com",
    ]);
    const ingress = findObject(objects, "Ingress", "symbiont-topology");
    expect(ingress.metadata.annotations).toEqual({
      "nginx.ingress.kubernetes.io/auth-url": "https://auth.example.com/oauth2/auth",
    });
    expect(ingress.spec).toEqual({
      ingressClassName: "nginx",
      tls: [{ secretName: "symbiont-tls", hosts: ["symbiont.example.com"] }],
      rules: [
        {
          host: "symbiont.example.com",
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: {
                  service: { name: "symbiont-topology", port: { name: "http-topology" } },
                },
              },
            ],
          },
        },
      ],
    });
  });

  it("when the topology page is turned off, then the operator is told and has no page port, Service or Ingress", async () => {
    const objects = await renderChart(["topology.enabled=false"]);
    expect(envOf(objects)).toMatchObject({ SYMBIONT_TOPOLOGY_ENABLED: "false" });
    expect(envOf(objects)).not.toHaveProperty("SYMBIONT_TOPOLOGY_PORT");
    expect(container(objects).ports.map((p: { name: string }) => p.name)).toEqual(["http"]);
    expect(objects.filter((o) => o.metadata.name === "symbiont-topology")).toEqual([]);
  });

  it("when crds.install is false, then no CRD is rendered", async () => {
    const kinds = (await renderChart(["crds.install=false"])).map((o) => o.kind);
    expect(kinds).not.toContain("CustomResourceDefinition");
    expect(kinds).toContain("Deployment");
  });

  it("when a digest and a release name are given, then the image and every name follow them", async () => {
    const digest = "sha256:" + "b".repeat(64);
    const objects = await renderChart([`image.digest=${digest}`], { release: "platform" });
    expect(container(objects).image).toBe(`ghcr.io/symbiont-dev/operator@${digest}`);
    expect(findObject(objects, "Deployment").metadata.name).toBe("platform-symbiont");
    expect(operatorClusterRole(objects).metadata.name).toBe("platform-symbiont");
  });

  it("when monitoring is turned on, then the ServiceMonitor, PodMonitor, alerts and dashboard are rendered", async () => {
    const objects = await renderChart([
      ...allMonitoring,
      "metrics.serviceMonitor.labels.release=prom",
    ]);
    const serviceMonitor = findObject(objects, "ServiceMonitor");
    expect(serviceMonitor.metadata.labels!.release).toBe("prom");
    expect(serviceMonitor.spec.endpoints[0]).toMatchObject({
      port: "http-metrics",
      path: "/metrics",
    });
    expect(findObject(objects, "Service", "symbiont-metrics").metadata.labels).toMatchObject(
      serviceMonitor.spec.selector.matchLabels,
    );
    const podMonitor = findObject(objects, "PodMonitor");
    expect(podMonitor.spec.namespaceSelector).toEqual({ any: true });
    expect(podMonitor.spec.podMetricsEndpoints[0]).toMatchObject({
      port: "http",
      path: "/metrics",
    });
    const alerts = findObject(objects, "PrometheusRule").spec.groups.flatMap(
      (g: { rules: { alert: string }[] }) => g.rules.map((r) => r.alert),
    );
    expect(alerts).toEqual([
      "SymbiontOperatorNoLeader",
      "SymbiontOperatorNotReconciling",
      "SymbiontOperatorReconcileErrors",
      "SymbiontModuleNotReady",
      "SymbiontDeadLettersRising",
      "SymbiontGatewayBufferGrowing",
      "SymbiontPartnerCircuitOpen",
    ]);
    const dashboards = findObject(objects, "ConfigMap", "symbiont-dashboards");
    expect(dashboards.metadata.labels!.grafana_dashboard).toBe("1");
    expect(JSON.parse(dashboards.data["symbiont.json"])).toEqual(
      JSON.parse(readFileSync(join(chartPath, "dashboards", "symbiont.json"), "utf8")),
    );
  });

  it("when the alerts are rendered, then their thresholds come from the values and Prometheus' own templates survive", async () => {
    const objects = await renderChart(
      ["metrics.prometheusRule.enabled=true", "metrics.prometheusRule.notReconcilingMinutes=30"],
      { namespace: "platform" },
    );
    type Rule = { alert: string; expr: string; annotations: Record<string, string> };
    const rules: Rule[] = findObject(objects, "PrometheusRule").spec.groups.flatMap(
      (g: { rules: Rule[] }) => g.rules,
    );
    const notReconciling = rules.find((r) => r.alert === "SymbiontOperatorNotReconciling")!;
    expect(notReconciling.expr).toContain('symbiont_queue_depth{namespace="platform"} > 0');
    expect(notReconciling.expr).toContain("< 1800");
    expect(notReconciling.annotations.summary).toContain("{{ $labels.kind }}");
    const moduleNotReady = rules.find((r) => r.alert === "SymbiontModuleNotReady")!;
    expect(moduleNotReady).toMatchObject({ for: "15m" });
    expect(moduleNotReady.expr).toBe(
      'max by (object_namespace, object_name) (symbiont_object_ready{namespace="platform", kind="EcosystemModule"}) == 0',
    );
  });

  it("then every alert links to its own section of docs/runbooks.md", async () => {
    const objects = await renderChart([
      "metrics.prometheusRule.enabled=true",
      "metrics.prometheusRule.runbookUrl=https://wiki.example.com/symbiont",
    ]);
    type Rule = { alert: string; annotations: Record<string, string> };
    const rules: Rule[] = findObject(objects, "PrometheusRule").spec.groups.flatMap(
      (g: { rules: Rule[] }) => g.rules,
    );
    const runbooks = readFileSync(join(repoRoot, "docs", "runbooks.md"), "utf8");
    const sections = new Set(
      [...runbooks.matchAll(/^## (\w+)$/gm)].map((m) => `#${m[1]!.toLowerCase()}`),
    );
    for (const rule of rules) {
      expect(rule.annotations.runbook_url).toBe(
        `https://wiki.example.com/symbiont#${rule.alert.toLowerCase()}`,
      );
      expect(sections, `docs/runbooks.md has a section ${rule.alert}`).toContain(
        `#${rule.alert.toLowerCase()}`,
      );
    }
  });
});

/** `helm template` with one --set value, failing or not. */
const templateWith = (value: string) =>
  runTool("helm", [
    "template",
    "symbiont",
    chartPath,
    "--kube-version",
    kubeVersion,
    "--set",
    value,
  ]);

describe("values.schema.json", () => {
  it.each([
    ["replicaCount=two", "/replicaCount", "want integer"],
    ["leaderElection.enabled=maybe", "/leaderElection/enabled", "want boolean"],
    ["logLevel=loud", "/logLevel", "value must be one of"],
    ["maxHeapMiB=-1", "/maxHeapMiB", "minimum"],
    ["image.pullPolicy=Sometimes", "/image/pullPolicy", "value must be one of"],
    [
      "metrics.serviceMonitor.interval=often",
      "/metrics/serviceMonitor/interval",
      "does not match pattern",
    ],
    [
      "metrics.prometheusRule.runbookUrl=wiki/runbooks",
      "/metrics/prometheusRule/runbookUrl",
      "does not match pattern",
    ],
    ["topology.port=0", "/topology/port", "minimum"],
    ["topology.ingress.pathType=Sometimes", "/topology/ingress/pathType", "value must be one of"],
    ["topology.ingress.path=topology", "/topology/ingress/path", "does not match pattern"],
    ["gateway.image.registry=mirror/x", "/gateway/image/registry", "does not match pattern"],
    ["gateway.image.digest=latest", "/gateway/image/digest", "does not match pattern"],
    ["replicas=3", "additional properties 'replicas' not allowed", ""],
  ])("when %s is set, then helm template fails naming %s", async (value, path, why) => {
    const result = await templateWith(value);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toContain(path);
    expect(result.stderr).toContain(why);
  });

  it.each([
    [
      "topology.ingress.enabled=true,topology.service.enabled=false",
      "topology.ingress.enabled needs topology.enabled=true and topology.service.enabled=true",
    ],
    ["topology.port=8080", "topology.port must differ from httpPort"],
  ])("when %s, then helm template refuses and says why", async (value, message) => {
    const result = await templateWith(value);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  it("when several replicas run without leader election, then helm template refuses and says why", async () => {
    const result = await templateWith("leaderElection.enabled=false");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("replicaCount > 1 needs leaderElection.enabled=true");
  });
});

describe("the dashboard and the alerts", () => {
  const metricNames = (text: string) =>
    new Set([...text.matchAll(/\b(symbiont_[a-z_]+)\b/g)].map((m) => m[1]!));

  async function exportedMetrics(): Promise<Set<string>> {
    const operator = new OperatorMetrics();
    const gateway = createMetrics();
    const noLedger = { on: () => undefined, entries: () => [][Symbol.iterator]() };
    gateway.watch(noLedger as unknown as Ledger, new Map());
    const names = new Set<string>();
    for (const registry of [operator.registry, gateway.registry]) {
      for (const metric of await registry.getMetricsAsJSON()) {
        names.add(metric.name);
        if (String(metric.type) === "histogram")
          for (const suffix of ["_bucket", "_sum", "_count"]) names.add(metric.name + suffix);
      }
    }
    return names;
  }

  it("when they query a metric, then the operator or the bus gateway exports it", async () => {
    const exported = await exportedMetrics();
    const dashboard = readFileSync(join(chartPath, "dashboards", "symbiont.json"), "utf8");
    const rule = findObject(
      await renderChart(["metrics.prometheusRule.enabled=true"]),
      "PrometheusRule",
    );
    const queried = new Set([...metricNames(dashboard), ...metricNames(JSON.stringify(rule.spec))]);
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
    // Every series the issue asks the dashboard to show is on it.
    for (const name of [
      "symbiont_reconcile_total",
      "symbiont_reconcile_errors_total",
      "symbiont_reconcile_duration_seconds_bucket",
      "symbiont_queue_depth",
      "symbiont_last_successful_reconcile_timestamp_seconds",
      "symbiont_kube_requests_total",
      "symbiont_leader",
      "symbiont_gateway_ledger_transitions_total",
      "symbiont_gateway_partner_backlog",
      "symbiont_gateway_dead_letters_total",
      "symbiont_gateway_publish_seconds_bucket",
      "symbiont_gateway_ledger_flush_seconds_bucket",
      "symbiont_gateway_partner_delivery_seconds_bucket",
    ]) {
      expect(metricNames(dashboard), `the dashboard shows ${name}`).toContain(name);
    }
  });
});

/** The operator's own ClusterRole (the chart also renders the gateways' fixed-name reviews role). */
function operatorClusterRole(objects: Rendered[]): Rendered {
  const found = objects.find(
    (o) =>
      o.kind === "ClusterRole" &&
      o.metadata.name !== gatewayReviewsName &&
      !/-(view|edit)$/.test(o.metadata.name),
  );
  if (!found) throw new Error("no operator ClusterRole rendered");
  return found;
}
