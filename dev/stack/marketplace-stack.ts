import { parseGatewayFile, type GatewayFile } from "@symbiont/bus-gateway";
import { startPartnerSim, type PartnerSim } from "@symbiont/partner-sim";
import { join } from "node:path";
import { readManifests } from "../harness/apply-manifests.js";
import { startDaprd, type Daprd } from "../harness/daprd.js";
import { startFerretDb, type FerretDb } from "../harness/ferretdb.js";
import { repoRoot } from "../harness/tool-paths.js";
import {
  startGatewayProcess,
  startRedis,
  type Redis,
  type RunningGateway,
} from "./gateway-stack.js";
import { gatewaySecretEnv, writeSamplesResources } from "./samples-stack.js";
import { startModule, type RunningModule } from "./service-stack.js";

// The marketplace with everything its payments cross (MISSION C6, T3), as samples/ declares
// it and the operator's own functions render it: the marketplace module and the bus gateway
// with their daprd sidecars, the gateway configured with the samples' routes and partners,
// the acquiring partner played by partner-sim behind its Dapr HTTP binding and calling back
// the gateway's /inbound/acquiring, and the user and partner cabinets' sidecars on the
// corporate bus. Both buses on a Redis of the stack's own; the marketplace's database and the
// gateway's ledger on one FerretDB.

export interface MarketplaceStack {
  readonly file: GatewayFile;
  readonly marketplace: RunningModule;
  readonly gateway: RunningGateway;
  readonly sim: PartnerSim;
  /** The user cabinet's sidecar (publishes marketplace.order.requested). */
  readonly userCabinet: Daprd;
  /** The partner cabinet's sidecar (publishes marketplace.partner.updated). */
  readonly partnerCabinet: Daprd;
  readonly adminToken: string;
  readonly corporatePubsub: string;
  /** The marketplace's own database. */
  readonly databaseUrl: string;
  stop(): Promise<void>;
}

export interface MarketplaceStackOptions {
  dir: string;
  /** Marketplace environment on top of the stack's (e.g. rate limits). */
  env?: Record<string, string>;
  logLevel?: "silent" | "info";
}

export async function startMarketplaceStack(
  options: MarketplaceStackOptions,
): Promise<MarketplaceStack> {
  const { dir } = options;
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const [redis, ferret, sim] = await Promise.all([
      startRedis(dir),
      startFerretDb({ dir, backend: "postgresql" }),
      startPartnerSim(
        {
          adminPort: 0,
          host: "127.0.0.1",
          partners: [
            {
              name: "acquiring",
              kind: "acquirer",
              port: 0,
              secret: sampleSecret("acme-partners", "acquiring-hmac"),
            },
          ],
        },
        { logLevel: options.logLevel ?? "silent" },
      ),
    ]);
    started.push(redis as Redis, ferret as FerretDb, sim);
    const { resourcesDir, rendered } = writeSamplesResources(dir, {
      redisPort: redis.port,
      // Only the acquirer answers; the samples' other partners get nothing in this stack.
      partnerUrl: (partner) =>
        partner === "acquiring" ? sim.partnerUrl(partner) : "http://127.0.0.1:9",
    });
    const file = parseGatewayFile(JSON.stringify(rendered.gatewayFile));
    const adminToken = sampleSecret("acme-marketplace", "admin-token");
    const [gateway, marketplace, userCabinet, partnerCabinet] = await Promise.all([
      startGatewayProcess({
        dir,
        resourcesDir,
        file,
        databaseUrl: `${ferret.uri}ledger`,
        env: gatewaySecretEnv(rendered),
      }),
      startModule({
        service: "marketplace",
        appId: "marketplace",
        dir,
        databaseUrl: `${ferret.uri}marketplace`,
        pubsubName: file.internalPubsub,
        pubsub: "in-memory",
        resourcesDir,
        env: {
          SYMBIONT_ECOSYSTEM: file.ecosystem,
          MARKETPLACE_ADMIN_TOKEN: adminToken,
          LOG_LEVEL: "warn",
          ...options.env,
        },
      }),
      startDaprd({ appId: "user-cabinet", resourcesDir, dir }),
      startDaprd({ appId: "partner-cabinet", resourcesDir, dir }),
    ]);
    started.push(gateway, marketplace, userCabinet, partnerCabinet);
    const callback = await fetch(`${sim.adminUrl}/admin/partners/acquiring/acquiring`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ callbackUrl: `${gateway.publicUrl}/inbound/acquiring` }),
    });
    if (!callback.ok)
      throw new Error(`partner-sim refused the callback URL: ${await callback.text()}`);
    return {
      file,
      marketplace,
      gateway,
      sim,
      userCabinet,
      partnerCabinet,
      adminToken,
      corporatePubsub: file.corporatePubsub,
      databaseUrl: `${ferret.uri}marketplace`,
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

/** A value of one of the samples' Secrets. */
function sampleSecret(name: string, key: string): string {
  const secret = readManifests(join(repoRoot, "samples")).find(
    (o) => o.kind === "Secret" && o.metadata.name === name,
  ) as { stringData?: Record<string, string> } | undefined;
  const value = secret?.stringData?.[key];
  if (!value) throw new Error(`samples/: Secret ${name} has no ${key}`);
  return value;
}

async function stopAll(started: Array<{ stop(): Promise<void> }>): Promise<void> {
  for (const part of started.reverse()) await part.stop().catch(() => undefined);
}
