import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { GatewayFile } from "@symbiont/bus-gateway";
import type { BusRoute } from "../../operator/src/api/bus-route.types.js";
import type { PartnerIntegration } from "../../operator/src/api/partner-integration.types.js";
import { subscribedTopics } from "@symbiont/marketplace";
import { startPartnerSim, type PartnerSim } from "@symbiont/partner-sim";
import type { Daprd } from "../harness/daprd.js";
import { readManifests } from "../harness/apply-manifests.js";
import { startFerretDb, type FerretDb } from "../harness/ferretdb.js";
import { repoRoot } from "../harness/tool-paths.js";
import {
  gatewayFile,
  startGatewayProcess,
  startPublisher,
  startRedis,
  uniqueEcosystem,
  writeResources,
  type Redis,
  type RunningGateway,
} from "./gateway-stack.js";
import { startModule, subscription, type RunningModule } from "./service-stack.js";

// The marketplace with everything its payments cross (MISSION C6, T3), as the operator would
// run it: the marketplace and its daprd on the internal bus, the bus gateway with the
// marketplace's BusRoutes and the acquiring partner exactly as samples/ declares them, the
// acquiring partner played by partner-sim behind a Dapr HTTP binding and calling back the
// gateway's /inbound/acquiring, and a cabinet's sidecar on the corporate bus. Both buses on
// a Redis of its own; the marketplace's database and the ledger on one FerretDB.

export interface MarketplaceStack {
  readonly ecosystem: string;
  readonly file: GatewayFile;
  readonly marketplace: RunningModule;
  readonly gateway: RunningGateway;
  readonly sim: PartnerSim;
  /** A front-office module's sidecar (publishes on the corporate bus). */
  readonly cabinet: Daprd;
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

const acquiringSecret = "acquiring-shared-key-for-tests";

/** The gateway's file from the samples' marketplace routes and acquiring partner. */
export function marketplaceGatewayFile(ecosystem: string): GatewayFile {
  const samples = readManifests(join(repoRoot, "samples"));
  const routes = samples.filter(
    (o): o is BusRoute => o.kind === "BusRoute" && o.metadata.name.startsWith("marketplace-"),
  );
  const acquiring = samples.find(
    (o): o is PartnerIntegration =>
      o.kind === "PartnerIntegration" && o.metadata.name === "acquiring",
  )!;
  return gatewayFile({
    ecosystem,
    signing: { keyEnv: "SYMBIONT_SIGNING_KEY" },
    routes: routes.map((route) => ({
      name: route.metadata.name,
      topic: route.spec.topic,
      direction: route.spec.direction,
      ...(route.spec.schema ? { schema: route.spec.schema } : {}),
      redact: route.spec.redact ?? [],
      sign: route.spec.sign ?? false,
    })),
    partners: [
      {
        name: "acquiring",
        category: "acquiring",
        direction: acquiring.spec.direction,
        binding: `${ecosystem}-partner-acquiring`,
        consumes: acquiring.spec.consumes ?? [],
        produces: acquiring.spec.produces ?? [],
        delivery: {
          maxAttempts: 10,
          backoffInitialMs: 200,
          backoffMaxMs: 2_000,
          bufferTtlMs: 600_000,
          timeoutMs: 5_000,
          circuitThreshold: 3,
        },
        rateLimit: { requestsPerSecond: 500, burst: 1_000 },
        auth: { type: "hmac", secretEnv: "SYMBIONT_PARTNER_ACQUIRING_SECRET" },
      },
    ],
  });
}

export async function startMarketplaceStack(
  options: MarketplaceStackOptions,
): Promise<MarketplaceStack> {
  const { dir } = options;
  const ecosystem = uniqueEcosystem("mk");
  const file = marketplaceGatewayFile(ecosystem);
  const appId = `${ecosystem}-marketplace`;
  const cabinetId = `${ecosystem}-user-cabinet`;
  const adminToken = `admin-${ecosystem}-0123456789abcdef`;
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const [redis, ferret, sim] = await Promise.all([
      startRedis(dir),
      startFerretDb({ dir, backend: "postgresql" }),
      startPartnerSim(
        {
          adminPort: 0,
          host: "127.0.0.1",
          partners: [{ name: "acquiring", kind: "acquirer", port: 0, secret: acquiringSecret }],
        },
        { logLevel: options.logLevel ?? "silent" },
      ),
    ]);
    started.push(redis, ferret as FerretDb, sim);
    const resourcesDir = writeResources({
      dir,
      redisPort: (redis as Redis).port,
      file,
      coreAppIds: [appId],
      nonCoreAppIds: [cabinetId],
      partnerUrls: { acquiring: sim.partnerUrl("acquiring") },
      concurrency: 4,
    });
    writeModuleSubscriptions(resourcesDir, file, appId);
    const [gateway, marketplace, cabinet] = await Promise.all([
      startGatewayProcess({
        dir,
        resourcesDir,
        file,
        databaseUrl: `${ferret.uri}ledger`,
        env: {
          SYMBIONT_SIGNING_KEY: "ecosystem-signing-key-for-tests",
          SYMBIONT_PARTNER_ACQUIRING_SECRET: acquiringSecret,
        },
      }),
      startModule({
        service: "marketplace",
        appId,
        dir,
        databaseUrl: `${ferret.uri}marketplace`,
        pubsubName: file.internalPubsub,
        pubsub: "in-memory",
        resourcesDir,
        appMaxConcurrency: 1,
        env: { MARKETPLACE_ADMIN_TOKEN: adminToken, LOG_LEVEL: "warn", ...options.env },
      }),
      startPublisher(cabinetId, resourcesDir, dir),
    ]);
    started.push(gateway, marketplace, cabinet);
    const callback = await fetch(`${sim.adminUrl}/admin/partners/acquiring/acquiring`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ callbackUrl: `${gateway.url}/inbound/acquiring` }),
    });
    if (!callback.ok)
      throw new Error(`partner-sim refused the callback URL: ${await callback.text()}`);
    return {
      ecosystem,
      file,
      marketplace,
      gateway,
      sim,
      cabinet,
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

async function stopAll(started: Array<{ stop(): Promise<void> }>): Promise<void> {
  for (const part of started.reverse()) await part.stop().catch(() => undefined);
}

/**
 * As the operator renders them: the marketplace's Subscriptions (each with its dead-letter
 * topic) and the gateway's subscriptions to those dead-letter topics, so what the
 * marketplace drops is ledgered, visible and replayable.
 */
function writeModuleSubscriptions(resourcesDir: string, file: GatewayFile, appId: string): void {
  const gateway = `${file.ecosystem}-bus-gateway`;
  const docs = subscribedTopics.flatMap((topic) => [
    subscription(appId, file.internalPubsub, topic),
    {
      apiVersion: "dapr.io/v2alpha1",
      kind: "Subscription",
      metadata: { name: `${gateway}-${topic.replaceAll(".", "-")}-deadletter-int` },
      spec: {
        pubsubname: file.internalPubsub,
        topic: `${topic}.deadletter`,
        routes: { default: `/events/${topic}.deadletter` },
      },
      scopes: [gateway],
    },
  ]);
  writeFileSync(
    join(resourcesDir, "marketplace.yaml"),
    docs.map((doc) => stringify(doc)).join("---\n"),
  );
}
