import { ConfigError, exitOnSignals, openServiceRuntime, runService } from "@symbiont/service-kit";
import { buildApp } from "./app.js";
import { loadFrontOfficeConfig } from "./config.js";

// Wiring only: configuration, the runtime (database, sidecar, outbox on the corporate bus),
// the app, a sweep of expired sessions, signals.
async function main(): Promise<void> {
  const config = loadFrontOfficeConfig();
  const runtime = await openServiceRuntime({
    ...config,
    SYMBIONT_PUBSUB_INTERNAL: config.SYMBIONT_PUBSUB_CORPORATE,
  });
  const { app, sessions } = buildApp(runtime, config);
  const sweep = setInterval(() => {
    sessions
      ?.sweep(new Date())
      .catch((error: unknown) =>
        runtime.logger.warn({ err: error }, "sweeping expired sessions failed"),
      );
  }, 600_000);
  sweep.unref();
  const service = await runService({
    app,
    port: config.PORT,
    logger: runtime.logger,
    readiness: runtime.readiness,
    onShutdown: [async () => clearInterval(sweep), () => runtime.close()],
  });
  exitOnSignals(service, runtime.logger);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
  process.stderr.write(`front-office failed to start: ${message}\n`);
  process.exit(1);
});
