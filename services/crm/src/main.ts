import { ConfigError, exitOnSignals, openServiceRuntime, runService } from "@symbiont/service-kit";
import { buildApp } from "./app.js";
import { loadCrmConfig } from "./config.js";

// Wiring only: configuration, the runtime (database, sidecar, outbox), the app, signals.
async function main(): Promise<void> {
  const config = loadCrmConfig();
  const runtime = await openServiceRuntime(config);
  const { app, crm } = await buildApp({
    runtime,
    defaultCountryCode: config.CRM_DEFAULT_COUNTRY_CODE,
    maxBatch: config.CRM_MAX_BATCH,
    maxBodyBytes: config.MAX_BODY_BYTES,
  });
  const service = await runService({
    app,
    port: config.PORT,
    logger: runtime.logger,
    readiness: runtime.readiness,
    onShutdown: [() => crm.queue.idle(), () => runtime.close()],
  });
  exitOnSignals(service, runtime.logger);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
  process.stderr.write(`crm failed to start: ${message}\n`);
  process.exit(1);
});
