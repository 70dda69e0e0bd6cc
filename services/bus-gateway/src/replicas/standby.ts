import { healthRoutes, listen } from "@symbiont/service-kit";
import express from "express";
import { Agent, request, type IncomingMessage } from "node:http";
import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { GatewayEndpoints } from "./gateway-lease.js";

// A standby replica: it does not hold the ledger, so it takes nothing in itself. What reaches
// it (deliveries from its own sidecar, partner webhooks from the Service, admin calls) goes,
// as it came, to the active replica the Lease names, and the answer comes back as it was
// given: the active replica checks the sidecar token, the webhook signature and the caller.
// With no active replica (a handover) the answer is 503, and Dapr and partners retry.

export interface Standby {
  close(): Promise<void>;
}

export interface StandbyOptions {
  ports: { http: number; webhooks: number; admin: number };
  /** The active replica's endpoints, as its Lease says (undefined during a handover). */
  active: () => GatewayEndpoints | undefined;
  logger: Logger;
  /** How long a forwarded request may take (a delivery waits for the ledger's write). */
  timeoutMs?: number;
}

type Face = keyof StandbyOptions["ports"];

export async function startStandby(options: StandbyOptions): Promise<Standby> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: "symbiont_gateway_active",
    help: "1 on the replica that holds the gateway's Lease (the ledger's writer), 0 on a standby",
    registers: [registry],
  }).set(0);
  const forwarded = new Counter({
    name: "symbiont_gateway_forwarded_requests_total",
    help: "Requests a standby replica passed to the active one, by port and answer status",
    labelNames: ["port", "status"],
    registers: [registry],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const timeoutMs = options.timeoutMs ?? 60_000;
  const forward = (face: Face) => (req: IncomingMessage, res: ServerResponse) => {
    const active = options.active();
    if (!active) {
      forwarded.inc({ port: face, status: "503" });
      unavailable(res, "no active gateway replica right now (a handover); retry");
      req.resume();
      return;
    }
    const target = new URL(req.url ?? "/", active[face]);
    const upstream = request(
      target,
      {
        method: req.method,
        headers: { ...req.headers, host: target.host },
        agent,
        timeout: timeoutMs,
      },
      (answer) => {
        forwarded.inc({ port: face, status: String(answer.statusCode ?? 0) });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("timeout", () => upstream.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    upstream.on("error", (error) => {
      forwarded.inc({ port: face, status: "503" });
      options.logger.debug({ err: error.message, target: target.origin }, "forward failed");
      if (res.headersSent) res.destroy();
      else unavailable(res, "the active gateway replica did not answer; retry");
    });
    req.pipe(upstream);
  };
  const readiness = {
    checks: { active: async () => options.active() !== undefined },
    draining: false,
  };
  const withHealth = express();
  withHealth.disable("x-powered-by");
  withHealth.use(healthRoutes(readiness, registry));
  // The sidecar asks for programmatic subscriptions at its start: the gateway has none.
  withHealth.get(/^\/dapr\//, (_req, res) => {
    res.status(404).json({ error: { code: "NotFound", message: "no programmatic subscriptions" } });
  });
  withHealth.use(forward("http"));
  const servers = await Promise.all([
    listen(withHealth, options.ports.http),
    listen(forward("webhooks"), options.ports.webhooks),
    listen(forward("admin"), options.ports.admin),
  ]);
  options.logger.info(options.ports, "standby: passing requests to the active replica");
  return {
    async close() {
      readiness.draining = true;
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              // Forwarded calls in flight are cut: their callers retry, and the new active
              // replica recognises what the old one recorded.
              server.closeAllConnections();
            }),
        ),
      );
      agent.destroy();
    },
  };
}

function unavailable(res: ServerResponse, message: string): void {
  res.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
  res.end(JSON.stringify({ error: { code: "NoActiveReplica", message } }));
}
