import { fileURLToPath } from "node:url";
import { ConfigError, exitOnSignals, openServiceRuntime, runService } from "@symbiont/service-kit";
import { buildApp } from "./app.js";
import { loadProcessesConfig } from "./config.js";

// Wiring only: configuration, the runtime (database, sidecar, outbox), the app, signals.
async function main(): Promise<void> {
  const config = loadProcessesConfig();
  const runtime = await openServiceRuntime(config);
  const processes = await buildApp({
    runtime,
    callers: config.PROCESSES_CALLERS,
    settings: {
      remindBefore: config.PROCESSES_REMIND_BEFORE,
      checklistDueAfter: config.PROCESSES_CHECKLIST_DUE_AFTER,
      approvalDueIn: config.PROCESSES_APPROVAL_DUE_IN,
      approvers: config.PROCESSES_APPROVERS,
      defaultApprover: config.PROCESSES_DEFAULT_APPROVER,
      contractsSandbox: config.PROCESSES_CONTRACTS_SANDBOX,
      // The module's own definitions beside src/ (sources) or dist/ (image).
      definitionsDir:
        config.PROCESSES_DEFINITIONS_DIR ??
        fileURLToPath(new URL("../definitions/", import.meta.url)),
    },
    appApiToken: config.APP_API_TOKEN,
    maxBodyBytes: config.MAX_BODY_BYTES,
    overdueCheckMs: config.PROCESSES_OVERDUE_CHECK_MS,
  });
  const service = await runService({
    app: processes.app,
    port: config.PORT,
    logger: runtime.logger,
    readiness: runtime.readiness,
    onShutdown: [() => processes.stop(), () => runtime.close()],
  });
  exitOnSignals(service, runtime.logger);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
  process.stderr.write(`processes failed to start: ${message}\n`);
  process.exit(1);
});
