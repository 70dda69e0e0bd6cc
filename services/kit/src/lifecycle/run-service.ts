import { createServer, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { Express } from "express";
import type { Logger } from "pino";
import type { Readiness } from "../http/health-routes.js";

export interface RunServiceOptions {
  app: Express;
  port: number;
  host?: string;
  logger: Logger;
  readiness: Readiness;
  /** Run in order after the server stopped taking requests (relays, then the database). */
  onShutdown: Array<() => Promise<void>>;
}

export interface RunningService {
  readonly server: Server;
  readonly port: number;
  /** Stops taking requests, lets in-flight ones finish, then runs onShutdown. */
  shutdown(reason: string): Promise<void>;
}

export async function runService(options: RunServiceOptions): Promise<RunningService> {
  const { logger } = options;
  const server = await listen(options.app, options.port, options.host);
  const port = portOf(server);
  logger.info({ port }, "listening");

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason }, "shutting down: no new requests, finishing those in flight");
      options.readiness.draining = true;
      await closeServer(server);
      for (const step of options.onShutdown) await step();
      logger.info("stopped");
    })();
    return stopping;
  };
  return { server, port, shutdown };
}

/**
 * An HTTP server listening on `port` (0: a free one); resolves once it listens. Idle
 * connections stay open longer than the Dapr sidecar's HTTP client keeps them (Go: 90 s): a
 * connection the server closes while the sidecar reuses it would fail that delivery.
 */
export async function listen(
  handler: RequestListener,
  port: number,
  host = "0.0.0.0",
): Promise<Server> {
  const server = createServer(handler);
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolveListen());
  });
  return server;
}

/** The port a listening server took. */
export function portOf(server: Server): number {
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

/**
 * Stops taking connections and resolves once the requests in flight are answered. A client
 * that keeps sending on a kept-alive connection (a Dapr sidecar delivering) would hold it open
 * for ever: each answer from now on closes its connection.
 */
export function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  server.on("request", (_req, res: ServerResponse) => {
    res.shouldKeepAlive = false;
  });
  server.closeIdleConnections();
  return closed;
}

/** SIGTERM/SIGINT -> graceful shutdown, exit 0; a shutdown that hangs exits 1. */
export function exitOnSignals(service: RunningService, logger: Logger, timeoutMs = 25_000): void {
  const onSignal = (signal: NodeJS.Signals) => {
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, "shutdown took too long, exiting");
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    service.shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
