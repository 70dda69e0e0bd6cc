import { parseGatewayFile, type GatewayFile } from "@symbiont/bus-gateway";
import { startDaprd, type Daprd } from "../harness/daprd.js";
import { startFerretDb, type FerretDb } from "../harness/ferretdb.js";
import { freePort } from "../harness/probe.js";
import { localHosts, type LocalHosts } from "../render/local-hosts.js";
import type { RenderedEcosystem } from "../render/render-ecosystem.js";
import {
  publishSurely,
  startGatewayProcess,
  startRedis,
  type Redis,
  type RunningGateway,
} from "./gateway-stack.js";
import { gatewaySecretEnv, writeSamplesResources } from "./samples-stack.js";
import { startModule, type RunningModule } from "./service-stack.js";

// The front office with everything a sign-in and the catalog cross (MISSION F1, F3, T4), as
// samples/ declares it and the operator's own functions render it: MDM and CRM on the
// internal bus, the bus gateway with the samples' routes, and on the corporate bus the SSO,
// the user cabinet, the site and the landing-page wizard, each with its daprd sidecar and its environment taken from
// its EcosystemModule (Secrets resolved, the example hosts replaced by local URLs). Both
// buses on a Redis of the stack's own; every database on one FerretDB.

export interface FrontOfficeStack {
  readonly gateway: RunningGateway;
  readonly mdm: RunningModule;
  readonly sso: RunningModule;
  readonly cabinet: RunningModule;
  readonly site: RunningModule;
  readonly landing: RunningModule;
  /** The marketplace partner cabinet (F4) and the company partner cabinet (F5). */
  readonly partnerCabinet: RunningModule;
  readonly companyCabinet: RunningModule;
  /**
   * Publishes on the internal bus as a core module that is not running here (marketplace,
   * files, analytics): through a bare sidecar with that module's app-id, so the event crosses
   * the gateway's export route as the module's own would.
   */
  publishAs(
    appId: "marketplace" | "files" | "analytics",
    event: { id: string; topic: string; data: unknown },
  ): Promise<void>;
  /** CRM as running now (restartCrm replaces it). */
  crm(): RunningModule;
  stopCrm(): Promise<void>;
  startCrm(): Promise<void>;
  readonly ssoAdminToken: string;
  readonly file: GatewayFile;
  stop(): Promise<void>;
}

/** A module's environment as its EcosystemModule declares it, Secrets resolved, hosts local. */
export function moduleEnv(
  rendered: RenderedEcosystem,
  name: string,
  hosts: LocalHosts,
): Record<string, string> {
  const module = rendered.modules.find((m) => m.metadata.name === name);
  if (!module) throw new Error(`samples/: no EcosystemModule ${name}`);
  const env: Record<string, string> = {};
  for (const entry of module.spec.env ?? []) {
    const ref = entry.valueFrom?.secretKeyRef;
    const value = ref ? rendered.secrets.get(ref.name)?.[ref.key] : entry.value;
    if (value === undefined) throw new Error(`samples/: ${name}'s ${entry.name} has no value`);
    env[entry.name] = localHosts(value, hosts);
  }
  return env;
}

export async function startFrontOfficeStack(options: { dir: string }): Promise<FrontOfficeStack> {
  const { dir } = options;
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const [redis, ferret] = await Promise.all([
      startRedis(dir),
      startFerretDb({ dir, backend: "postgresql" }),
    ]);
    started.push(redis as Redis, ferret as FerretDb);
    const { resourcesDir, rendered } = writeSamplesResources(dir, {
      redisPort: redis.port,
      partnerUrl: () => "http://127.0.0.1:9",
    });
    const file = parseGatewayFile(JSON.stringify(rendered.gatewayFile));
    const [ssoPort, cabinetPort, partnerPort, companyPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const hosts = {
      sso: `http://127.0.0.1:${ssoPort}`,
      cabinet: `http://127.0.0.1:${cabinetPort}`,
      partners: `http://127.0.0.1:${partnerPort}`,
      company: `http://127.0.0.1:${companyPort}`,
    };
    const module = (
      service: "mdm" | "crm" | "sso" | "front-office",
      appId: string,
      extra: { port?: number; env?: Record<string, string> } = {},
    ) => {
      const core = service === "mdm" || service === "crm";
      return startModule({
        service,
        appId,
        dir,
        databaseUrl: `${ferret.uri}${appId}`,
        pubsubName: core ? file.internalPubsub : file.corporatePubsub,
        pubsub: "in-memory",
        resourcesDir,
        ...(extra.port ? { port: extra.port } : {}),
        env: {
          SYMBIONT_ECOSYSTEM: file.ecosystem,
          ...(core ? {} : { SYMBIONT_PUBSUB_CORPORATE: file.corporatePubsub }),
          LOG_LEVEL: "warn",
          ...(core ? {} : moduleEnv(rendered, appId, hosts)),
          ...extra.env,
        },
      });
    };
    const [
      gateway,
      mdm,
      crmModule,
      sso,
      cabinet,
      site,
      landing,
      partnerCabinet,
      companyCabinet,
      ...coreSidecars
    ] = await Promise.all([
      startGatewayProcess({
        dir,
        resourcesDir,
        file,
        databaseUrl: `${ferret.uri}ledger`,
        env: gatewaySecretEnv(rendered),
      }),
      module("mdm", "mdm"),
      module("crm", "crm"),
      module("sso", "sso", { port: ssoPort }),
      module("front-office", "user-cabinet", { port: cabinetPort }),
      module("front-office", "site"),
      module("front-office", "landing-wizard"),
      module("front-office", "partner-cabinet", { port: partnerPort }),
      module("front-office", "company-partner-cabinet", { port: companyPort }),
      ...(["marketplace", "files", "analytics"] as const).map((appId) =>
        startDaprd({ appId, resourcesDir, dir, name: `daprd-${appId}-publisher` }),
      ),
    ]);
    const sidecars = coreSidecars as Daprd[];
    started.push(
      gateway,
      mdm,
      sso,
      cabinet,
      site,
      landing,
      partnerCabinet as RunningModule,
      companyCabinet as RunningModule,
      ...sidecars,
    );
    let crm: RunningModule | undefined = crmModule;
    return {
      gateway,
      mdm,
      sso,
      cabinet,
      site,
      landing,
      partnerCabinet: partnerCabinet as RunningModule,
      companyCabinet: companyCabinet as RunningModule,
      async publishAs(appId, event) {
        const index = ["marketplace", "files", "analytics"].indexOf(appId);
        await publishSurely(
          sidecars[index]!,
          file.internalPubsub,
          event.topic,
          event.data,
          event.id,
        );
      },
      file,
      ssoAdminToken: rendered.secrets.get("acme-sso")?.["admin-token"] ?? "",
      crm: () => {
        if (!crm) throw new Error("CRM is stopped");
        return crm;
      },
      async stopCrm() {
        await crm?.stop();
        crm = undefined;
      },
      async startCrm() {
        crm ??= await module("crm", "crm");
      },
      async stop() {
        await crm?.stop();
        await stopAll(started);
      },
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

async function stopAll(started: Array<{ stop(): Promise<void> }>): Promise<void> {
  for (const part of started.reverse()) await part.stop().catch(() => undefined);
}
