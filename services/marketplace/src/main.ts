import { ConfigError, exitOnSignals, openServiceRuntime, runService } from "@symbiont/service-kit";
import { buildApp } from "./app.js";
import { loadMarketplaceConfig } from "./config.js";

// Wiring only: configuration, the runtime (database, sidecar, outbox), the app, signals.
async function main(): Promise<void> {
  const config = loadMarketplaceConfig();
  const runtime = await openServiceRuntime(config);
  const { app } = await buildApp({
    runtime,
    adminToken: config.MARKETPLACE_ADMIN_TOKEN,
    keyRateLimit: {
      perSecond: config.MARKETPLACE_KEY_RATE_PER_SECOND,
      burst: config.MARKETPLACE_KEY_BURST,
    },
    keyOverlapSeconds: config.MARKETPLACE_KEY_OVERLAP_SECONDS,
    maxBodyBytes: config.MAX_BODY_BYTES,
  });
  const service = await runService({
    app,
    port: config.PORT,
    logger: runtime.logger,
    readiness: runtime.readiness,
    onShutdown: [() => runtime.close()],
  });
  exitOnSignals(service, runtime.logger);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
  process.stderr.write(`marketplace failed to start: ${message}\n`);
  process.exit(1);
});
