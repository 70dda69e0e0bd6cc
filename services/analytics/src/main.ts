import { ConfigError, exitOnSignals, openServiceRuntime, runService } from "@symbiont/service-kit";
import { buildApp } from "./app.js";
import { loadAnalyticsConfig } from "./config.js";

// Wiring only: configuration, the runtime (database, sidecar, outbox), the app, signals; then
// the figures are rebuilt from the event log while the service already answers its probes.
async function main(): Promise<void> {
  const config = loadAnalyticsConfig();
  const runtime = await openServiceRuntime(config);
  if (config.ANALYTICS_CALLERS.length === 0)
    runtime.logger.warn("ANALYTICS_CALLERS is empty: every reports API call will be refused");
  const { app, analytics } = buildApp({
    runtime,
    callers: config.ANALYTICS_CALLERS,
    currency: config.ANALYTICS_CURRENCY,
    defaultCountryCode: config.ANALYTICS_DEFAULT_COUNTRY_CODE,
    maxBodyBytes: config.MAX_BODY_BYTES,
  });
  const service = await runService({
    app,
    port: config.PORT,
    logger: runtime.logger,
    readiness: runtime.readiness,
    onShutdown: [() => analytics.exclusive(async () => undefined), () => runtime.close()],
  });
  exitOnSignals(service, runtime.logger);
  await analytics.load();
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
  process.stderr.write(`analytics failed to start: ${message}\n`);
  process.exit(1);
});
