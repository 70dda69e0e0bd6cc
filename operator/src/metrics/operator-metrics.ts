import { readFileSync } from "node:fs";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { RequestRecord } from "../kube/kube-client.js";

// The operator's Prometheus metrics (served on /metrics). Names follow STYLE.md.

export class OperatorMetrics {
  readonly registry = new Registry();
  private readonly depthSources = new Map<string, () => number>();
  private readonly cacheSources = new Map<string, () => number>();
  private readonly readinessSources = new Map<string, () => readonly ObjectWithConditions[]>();

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

  /** The objects of a kind whose Ready condition symbiont_object_ready reports. */
  readonly readiness = {
    collect: (kind: string, objects: () => readonly ObjectWithConditions[]) =>
      this.readinessSources.set(kind, objects),
  };

  constructor(build: BuildInfo = operatorBuild()) {
    const depthSources = this.depthSources;
    const cacheSources = this.cacheSources;
    const readinessSources = this.readinessSources;
    // The object's namespace is object_namespace: `namespace` is the operator's own, as
    // Prometheus' scrape labels name it.
    new Gauge({
      name: "symbiont_object_ready",
      help: "1 while an object's Ready condition is True, 0 while it is False or Unknown, by kind, object_namespace and object_name.",
      labelNames: ["kind", "object_namespace", "object_name"] as const,
      registers: [this.registry],
      collect() {
        this.reset(); // deleted objects leave the series
        for (const [kind, objects] of readinessSources) {
          for (const object of objects()) {
            const ready = object.status?.conditions?.find((c) => c.type === "Ready");
            this.set(
              {
                kind,
                object_namespace: object.metadata.namespace ?? "",
                object_name: object.metadata.name,
              },
              ready?.status === "True" ? 1 : 0,
            );
          }
        }
      },
    });
    new Gauge({
      name: "symbiont_build_info",
      help: "Always 1; its labels say which operator build runs (version, revision, Node.js version).",
      labelNames: ["version", "revision", "node_version"] as const,
      registers: [this.registry],
    }).set({ version: build.version, revision: build.revision, node_version: process.version }, 1);
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

export interface ObjectWithConditions {
  metadata: { name: string; namespace?: string };
  status?: { conditions?: readonly { type: string; status: string }[] };
}

export interface BuildInfo {
  version: string;
  revision: string;
}

/** The operator package's version, and the source revision the image was built from (if set). */
export function operatorBuild(env: NodeJS.ProcessEnv = process.env): BuildInfo {
  // src/metrics and dist/metrics are both two folders below the package.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return { version: pkg.version, revision: env.SYMBIONT_REVISION || "unknown" };
}
