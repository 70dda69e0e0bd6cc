import { ConfigError, exitOnSignals, openServiceRuntime, runService } from "@symbiont/service-kit";
import { buildApp } from "./app.js";
import { loadSsoConfig } from "./config.js";
import { sweepExpired } from "./data/oidc-adapter.js";

// Wiring only: configuration, the runtime (database, sidecar, outbox on the corporate bus),
// the app, a sweep of expired sessions and tokens, signals.
async function main(): Promise<void> {
  const config = loadSsoConfig();
  const runtime = await openServiceRuntime({
    ...config,
    SYMBIONT_PUBSUB_INTERNAL: config.SYMBIONT_PUBSUB_CORPORATE,
  });
  const { app, pending, accounts } = buildApp(runtime, config);
  const migrated = await accounts.migrate();
  if (migrated.emailsAdded > 0 || migrated.droppedIndex)
    runtime.logger.info(migrated, "accounts brought up to date for upstream sign-ins");
  const sweep = setInterval(() => {
    Promise.all([sweepExpired(runtime.connection), pending.sweep(new Date())]).catch(
      (error: unknown) => runtime.logger.warn({ err: error }, "sweeping expired sessions failed"),
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
  process.stderr.write(`sso failed to start: ${message}\n`);
  process.exit(1);
});
