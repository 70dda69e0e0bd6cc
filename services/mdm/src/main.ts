import { ConfigError, exitOnSignals, openServiceRuntime, runService } from "@symbiont/service-kit";
import { buildApp } from "./app.js";
import { loadMdmConfig } from "./config.js";

// Wiring only: configuration, the runtime (database, sidecar, outbox), the app, signals.
async function main(): Promise<void> {
  const config = loadMdmConfig();
  const runtime = await openServiceRuntime(config);
  const app = await buildApp({ runtime, maxBodyBytes: config.MAX_BODY_BYTES });
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
  process.stderr.write(`mdm failed to start: ${message}\n`);
  process.exit(1);
});
