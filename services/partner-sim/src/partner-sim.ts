import { createLogger, runService, type RunningService } from "@symbiont/service-kit";
import type { SimConfig } from "./config.js";
import { buildApp } from "./app.js";
import { PartnerEndpoint } from "./domain/partner-endpoint.js";

// Starts the admin API and every simulated partner; tests use it in-process, main.ts as
// a process.

export interface PartnerSim {
  readonly adminUrl: string;
  readonly endpoints: ReadonlyMap<string, PartnerEndpoint>;
  /** The URL a binding should post to for `name`. */
  partnerUrl(name: string): string;
  stop(): Promise<void>;
  readonly service: RunningService;
}

export async function startPartnerSim(
  config: SimConfig,
  options: { logLevel?: "silent" | "info" } = {},
): Promise<PartnerSim> {
  const logger = createLogger({ service: "partner-sim", level: options.logLevel ?? "info" });
  const endpoints = new Map(
    config.partners.map((partner) => [partner.name, new PartnerEndpoint(partner, config.host)]),
  );
  for (const endpoint of endpoints.values()) await endpoint.start();
  const service = await runService({
    app: buildApp({ logger, endpoints }),
    port: config.adminPort,
    host: config.host,
    logger,
    readiness: { checks: {}, draining: false },
    onShutdown: [
      async () =>
        Promise.all([...endpoints.values()].map((endpoint) => endpoint.stop())).then(
          () => undefined,
        ),
    ],
  });
  for (const endpoint of endpoints.values())
    logger.info(
      { partner: endpoint.partner.name, kind: endpoint.partner.kind, url: endpoint.url },
      "partner listening",
    );
  return {
    adminUrl: `http://${config.host}:${service.port}`,
    endpoints,
    partnerUrl: (name) => {
      const endpoint = endpoints.get(name);
      if (!endpoint) throw new Error(`partner-sim has no partner ${name}`);
      return endpoint.url;
    },
    stop: () => service.shutdown("stop"),
    service,
  };
}
