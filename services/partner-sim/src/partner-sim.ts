import { createLogger, runService, type RunningService } from "@symbiont/service-kit";
import type { SimConfig } from "./config.js";
import { buildApp } from "./app.js";
import { PartnerEndpoint } from "./domain/partner-endpoint.js";
import { createIdentityProvider } from "./idp/identity-provider.js";
import { IdentityProviders } from "./idp/idp-routes.js";

// Starts the admin API and every simulated partner; tests use it in-process, main.ts as
// a process.

export interface PartnerSim {
  readonly adminUrl: string;
  readonly endpoints: ReadonlyMap<string, PartnerEndpoint>;
  /** The URL a binding should post to for `name`. */
  partnerUrl(name: string): string;
  /** The issuer of the OpenID provider `name` (PARTNER_SIM_IDPS). */
  issuer(name: string): string;
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
  const idps = new IdentityProviders(config.idps ?? []);
  let baseUrl = config.publicUrl ?? "";
  // An issuer is the provider's public URL: known once the admin port is.
  const issuer = (name: string) => `${baseUrl}/idp/${name}`;
  const service = await runService({
    app: buildApp({ logger, endpoints, idps, issuer }),
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
  const adminUrl = `http://${config.host}:${service.port}`;
  baseUrl ||= adminUrl;
  idps.open((idp, mode) => {
    const provider = createIdentityProvider(idp, issuer(idp.name), mode);
    provider.on("server_error", (_ctx, error) =>
      logger.error({ err: error, idp: idp.name }, "OpenID provider error"),
    );
    return provider;
  });
  for (const idp of idps.configs)
    logger.info({ idp: idp.name, kind: idp.kind, issuer: issuer(idp.name) }, "OpenID provider");
  return {
    adminUrl,
    endpoints,
    partnerUrl: (name) => {
      const endpoint = endpoints.get(name);
      if (!endpoint) throw new Error(`partner-sim has no partner ${name}`);
      return endpoint.url;
    },
    issuer: (name) => {
      if (!idps.configs.some((idp) => idp.name === name))
        throw new Error(`partner-sim has no OpenID provider ${name}`);
      return issuer(name);
    },
    stop: () => service.shutdown("stop"),
    service,
  };
}
