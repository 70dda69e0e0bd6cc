import { createHash } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import { ecosystemViews, type EcosystemObjects } from "../topology/ecosystem-view.js";
import { liveScript } from "../topology/topology-assets.js";
import { summaryOf, topologyFragment, topologyPage } from "../topology/topology-page.js";

// The topology page on its own port: GET / (the page), GET /events (Server-Sent Events: the
// page's live fragment again after every change of the operator's caches, coalesced), GET
// /topology.json (the same view as data). Read-only, from the informer caches every replica
// keeps, so it costs the API server nothing and works on standby replicas too.
//
// Who may read it: whoever reaches the port. It shows names, types, conditions and counts,
// what `kubectl get` prints of the four kinds, never a spec field that could carry a
// credential (ecosystem-view.ts). The chart serves it through a ClusterIP Service only; an
// Ingress is off by default and, when enabled, needs the Ingress controller's own
// authentication in front (charts/symbiont/README.md, "The topology page").

export interface TopologySource {
  /** What the operator watches, for the page's header: "namespace shop" or "all namespaces". */
  scope: string;
  objects(): EcosystemObjects;
  /** Calls `listener` after every change of an Ecosystem, module, partner or route. */
  onChange(listener: () => void): void;
}

export interface TopologyServerOptions {
  /** Changes within this window reach the browsers as one update. */
  coalesceMs?: number;
  /** A comment line this often keeps idle streams open through proxies. */
  heartbeatMs?: number;
  /** Open event streams at most; more get 503. */
  maxStreams?: number;
}

export interface TopologyServer {
  server: Server;
  close(): Promise<void>;
}

const scriptHash = createHash("sha256").update(liveScript).digest("base64");
const pageHeaders = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy": [
    "default-src 'none'",
    `script-src 'sha256-${scriptHash}'`,
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; "),
};

export function startTopologyServer(
  port: number,
  host: string,
  source: TopologySource,
  options: TopologyServerOptions = {},
): Promise<TopologyServer> {
  const { coalesceMs = 250, heartbeatMs = 25_000, maxStreams = 100 } = options;
  const streams = new Set<ServerResponse>();
  const views = () => ecosystemViews(source.objects());
  const update = () => {
    const current = views();
    const data = JSON.stringify({
      html: topologyFragment(current).text,
      summary: summaryOf(current),
    });
    return `event: topology\ndata: ${data}\n\n`;
  };

  let pending: NodeJS.Timeout | undefined;
  source.onChange(() => {
    if (streams.size === 0 || pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      const event = update();
      for (const stream of streams) stream.write(event);
    }, coalesceMs);
  });
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(": keep-alive\n\n");
  }, heartbeatMs).unref();

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
    } else if (path === "/") {
      res.writeHead(200, pageHeaders).end(topologyPage(views(), { scope: source.scope }));
    } else if (path === "/topology.json") {
      res
        .writeHead(200, { "content-type": "application/json", "cache-control": "no-store" })
        .end(JSON.stringify({ scope: source.scope, ecosystems: views() }));
    } else if (path === "/events") {
      if (streams.size >= maxStreams) {
        res.writeHead(503, { "retry-after": "10" }).end("too many open event streams\n");
        return;
      }
      res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        connection: "keep-alive",
        // nginx buffers responses by default, which would hold events back.
        "x-accel-buffering": "no",
      });
      // The state now: what changed between serving the page and opening the stream.
      res.write(`retry: 2000\n\n${update()}`);
      streams.add(res);
      req.on("close", () => streams.delete(res));
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  });
  return new Promise((resolveServer, reject) => {
    server.once("error", reject);
    server.listen(port, host, () =>
      resolveServer({
        server,
        close: () => {
          clearInterval(heartbeat);
          clearTimeout(pending);
          for (const stream of streams) stream.end();
          return new Promise((closed) => server.close(() => closed()));
        },
      }),
    );
  });
}
