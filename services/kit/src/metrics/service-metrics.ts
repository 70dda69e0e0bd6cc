import type { RequestHandler } from "express";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** One registry per service instance (tests run several in one process). */
export interface ServiceMetrics {
  readonly registry: Registry;
  readonly httpRequestDuration: Histogram<"method" | "route" | "status">;
  readonly eventsReceived: Counter<"topic" | "result">;
  readonly eventsPublished: Counter<"topic" | "result">;
  /** Times each request; the route label is the matched pattern, never the raw path. */
  readonly httpMiddleware: RequestHandler;
}

export function createServiceMetrics(options: { defaultMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const httpRequestDuration = new Histogram({
    name: "symbiont_http_request_duration_seconds",
    help: "HTTP requests served, by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const eventsReceived = new Counter({
    name: "symbiont_events_received_total",
    help: "Bus events received, by topic and result (applied, duplicate, retry, dropped)",
    labelNames: ["topic", "result"] as const,
    registers: [registry],
  });
  const eventsPublished = new Counter({
    name: "symbiont_events_published_total",
    help: "Bus events published through the Dapr sidecar, by topic and result (ok, failed)",
    labelNames: ["topic", "result"] as const,
    registers: [registry],
  });
  const httpMiddleware: RequestHandler = (req, res, next) => {
    const end = httpRequestDuration.startTimer();
    res.on("finish", () => {
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = pattern ? `${req.baseUrl}${pattern}` : "unmatched";
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, httpRequestDuration, eventsReceived, eventsPublished, httpMiddleware };
}
