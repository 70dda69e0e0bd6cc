import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { RequestRecord } from "../kube/kube-client.js";

// The operator's Prometheus metrics (served on /metrics). Names follow STYLE.md.

export class OperatorMetrics {
  readonly registry = new Registry();
  private readonly depthSources = new Map<string, () => number>();
  private readonly cacheSources = new Map<string, () => number>();

  readonly reconcileTotal = new Counter({
    name: "symbiont_reconcile_total",
    help: "Reconciles by kind and result (success, requeue, error).",
    labelNames: ["kind", "result"] as const,
    registers: [this.registry],
  });

  readonly reconcileErrors = new Counter({
    name: "symbiont_reconcile_errors_total",
    help: "Failed reconciles by kind and reason.",
    labelNames: ["kind", "reason"] as const,
    registers: [this.registry],
  });

  readonly reconcileDuration = new Histogram({
    name: "symbiont_reconcile_duration_seconds",
    help: "Time to reconcile one object.",
    labelNames: ["kind"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly lastSuccess = new Gauge({
    name: "symbiont_last_successful_reconcile_timestamp_seconds",
    help: "Unix time of the last successful reconcile, by kind.",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  readonly kubeRequests = new Counter({
    name: "symbiont_kube_requests_total",
    help: "Requests to the Kubernetes API by verb, kind and HTTP status.",
    labelNames: ["verb", "kind", "code"] as const,
    registers: [this.registry],
  });

  readonly kubeRequestDuration = new Histogram({
    name: "symbiont_kube_request_duration_seconds",
    help: "Latency of Kubernetes API requests (watches excluded).",
    labelNames: ["verb"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly leader = new Gauge({
    name: "symbiont_leader",
    help: "1 while this process holds the leader lease.",
    registers: [this.registry],
  });

  readonly queueDepth = {
    collect: (kind: string, depth: () => number) => this.depthSources.set(kind, depth),
  };

  readonly cachedObjects = {
    collect: (kind: string, size: () => number) => this.cacheSources.set(kind, size),
  };

  constructor() {
    const depthSources = this.depthSources;
    const cacheSources = this.cacheSources;
    new Gauge({
      name: "symbiont_queue_depth",
      help: "Keys waiting in each controller's work queue.",
      labelNames: ["kind"] as const,
      registers: [this.registry],
      collect() {
        for (const [kind, depth] of depthSources) this.set({ kind }, depth());
      },
    });
    new Gauge({
      name: "symbiont_informer_cached_objects",
      help: "Objects held by each informer cache.",
      labelNames: ["kind"] as const,
      registers: [this.registry],
      collect() {
        for (const [kind, size] of cacheSources) this.set({ kind }, size());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: "symbiont_operator_" });
  }

  /** For KubeClient's onRequest. */
  recordRequest = (record: RequestRecord): void => {
    this.kubeRequests.inc({ verb: record.method, kind: record.kind, code: String(record.status) });
    if (record.method !== "WATCH")
      this.kubeRequestDuration.observe({ verb: record.method }, record.seconds);
  };
}
