import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

// /healthz (the process serves), /readyz (caches synced), /metrics (Prometheus).

export interface HealthSources {
  ready: () => boolean;
  registry: Registry;
}

export function startHealthServer(
  port: number,
  host: string,
  sources: HealthSources,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405).end();
    } else if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else if (path === "/readyz") {
      const ready = sources.ready();
      res
        .writeHead(ready ? 200 : 503, { "content-type": "text/plain" })
        .end(ready ? "ok\n" : "caches not synced\n");
    } else if (path === "/metrics") {
      sources.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": sources.registry.contentType }).end(text),
        (error: Error) => res.writeHead(500).end(error.message),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolveServer, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolveServer(server));
  });
}
