import { createServiceApp, type ServiceRuntime } from "@symbiont/service-kit";
import { Router, type Express } from "express";
import type Provider from "oidc-provider";
import { Counter } from "prom-client";
import type { SsoConfig } from "./config.js";
import { createAccountStore, type AccountStore } from "./data/account-store.js";
import {
  createPendingUpstreamStore,
  type PendingUpstreamStore,
} from "./data/pending-upstream-store.js";
import { createUpstreamClient, type UpstreamClient } from "./data/upstream-client.js";
import {
  createUpstreamIdentityStore,
  type UpstreamIdentityStore,
} from "./data/upstream-identity-store.js";
import { createProvider } from "./domain/create-provider.js";
import { adminRoutes } from "./routes/admin-routes.js";
import { interactionRoutes } from "./routes/interaction-routes.js";
import { upstreamRoutes } from "./routes/upstream-routes.js";

export interface SsoApp {
  app: Express;
  provider: Provider;
  accounts: AccountStore;
  identities: UpstreamIdentityStore;
  pending: PendingUpstreamStore;
}

/**
 * The SSO module: interaction pages (password, upstream providers), the admin API, then the
 * OpenID provider's endpoints.
 */
export function buildApp(runtime: ServiceRuntime, config: SsoConfig): SsoApp {
  const accounts = createAccountStore(runtime.connection);
  const identities = createUpstreamIdentityStore(runtime.connection);
  const pending = createPendingUpstreamStore(runtime.connection);
  const upstreamClients = new Map<string, UpstreamClient>(
    config.SSO_UPSTREAMS.map((upstream) => [upstream.name, createUpstreamClient(upstream)]),
  );
  const provider = createProvider({
    issuer: config.SSO_ISSUER,
    signingKeys: config.SSO_SIGNING_KEYS.keys,
    cookieKeys: config.SSO_COOKIE_KEYS,
    clients: config.SSO_CLIENTS,
    accounts,
    connection: runtime.connection,
    sessionTtlSeconds: config.SSO_SESSION_TTL_SECONDS,
  });
  provider.on("server_error", (_ctx, error) =>
    runtime.logger.error({ err: error }, "OpenID provider error"),
  );
  const signIns = new Counter({
    name: "symbiont_sso_sign_ins_total",
    help: "Sign-in attempts at the SSO by result (signed_in, refused, forbidden, upstream_refused)",
    labelNames: ["result"] as const,
    registers: [runtime.metrics.registry],
  });
  const now = () => new Date();
  const oidc = Router();
  const callback = provider.callback();
  oidc.use((req, res) => callback(req, res));
  const app = createServiceApp({
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: runtime.readiness,
    maxBodyBytes: config.MAX_BODY_BYTES,
    routers: [
      adminRoutes({ accounts, adminToken: config.SSO_ADMIN_TOKEN }),
      interactionRoutes({
        provider,
        accounts,
        clients: config.SSO_CLIENTS,
        upstreams: config.SSO_UPSTREAMS,
        outbox: runtime.outbox,
        signIns,
        now,
      }),
      upstreamRoutes({
        provider,
        issuer: config.SSO_ISSUER,
        upstreams: config.SSO_UPSTREAMS,
        upstreamClient: (upstream) => upstreamClients.get(upstream.name)!,
        accounts,
        identities,
        pending,
        clients: config.SSO_CLIENTS,
        outbox: runtime.outbox,
        signIns,
        now,
      }),
      oidc,
    ],
  });
  return { app, provider, accounts, identities, pending };
}
