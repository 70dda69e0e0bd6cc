import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../operator/src/config.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";

// The chart sets every tuning variable of the operator explicitly (so `helm get values`
// shows what runs); its defaults must be the operator's own, or installing with the chart
// would quietly run a different operator than `make run`.

const values = parse(readFileSync(join(repoRoot, "charts", "symbiont", "values.yaml"), "utf8"));

describe("the chart's default values", () => {
  it("when the operator's defaults change, then the chart's values follow", () => {
    const defaults = loadConfig({});
    expect({
      workers: values.workers,
      qps: values.kubeApi.qps,
      burst: values.kubeApi.burst,
      httpPort: values.httpPort,
      topologyPort: values.topology.port,
      logLevel: values.logLevel,
      leaderElection: values.leaderElection.enabled,
      leaseName: values.leaderElection.leaseName,
      leaseDurationSeconds: values.leaderElection.leaseDurationSeconds,
      renewDeadlineSeconds: values.leaderElection.renewDeadlineSeconds,
      retryPeriodSeconds: values.leaderElection.retryPeriodSeconds,
    }).toEqual({
      workers: defaults.workers,
      qps: defaults.kubeQps,
      burst: defaults.kubeBurst,
      httpPort: defaults.httpPort,
      topologyPort: defaults.topologyPort,
      logLevel: defaults.logLevel,
      leaderElection: defaults.leaderElection,
      leaseName: defaults.lease.name,
      leaseDurationSeconds: defaults.lease.durationSeconds,
      renewDeadlineSeconds: defaults.lease.renewDeadlineSeconds,
      retryPeriodSeconds: defaults.lease.retryPeriodSeconds,
    });
  });

  it("when the chart sets an operator variable, then the operator accepts the value", () => {
    expect(() =>
      loadConfig({
        SYMBIONT_WORKERS: String(values.workers),
        SYMBIONT_KUBE_QPS: String(values.kubeApi.qps),
        SYMBIONT_KUBE_BURST: String(values.kubeApi.burst),
        SYMBIONT_HTTP_PORT: String(values.httpPort),
        SYMBIONT_TOPOLOGY_ENABLED: String(values.topology.enabled),
        SYMBIONT_TOPOLOGY_PORT: String(values.topology.port),
        LOG_LEVEL: values.logLevel,
        SYMBIONT_LEADER_ELECTION: String(values.leaderElection.enabled),
        SYMBIONT_LEASE_NAME: values.leaderElection.leaseName,
        SYMBIONT_LEASE_NAMESPACE: "symbiont-system",
        POD_NAME: "symbiont-0",
      }),
    ).not.toThrow();
  });
});
