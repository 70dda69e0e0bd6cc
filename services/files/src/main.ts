import { ConfigError, exitOnSignals, openServiceRuntime, runService } from "@symbiont/service-kit";
import { buildApp } from "./app.js";
import { loadFilesConfig } from "./config.js";
import { createObjectStore } from "./data/object-store.js";

// Wiring only: configuration, the runtime (database, sidecar, outbox), the object store,
// the app, signals.
async function main(): Promise<void> {
  const config = loadFilesConfig();
  const runtime = await openServiceRuntime(config);
  const objects = createObjectStore({
    endpoint: config.FILES_S3_ENDPOINT,
    region: config.FILES_S3_REGION,
    bucket: config.FILES_S3_BUCKET,
    accessKeyId: config.FILES_S3_ACCESS_KEY_ID,
    secretAccessKey: config.FILES_S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.FILES_S3_FORCE_PATH_STYLE === "true",
  });
  const { app } = await buildApp({
    runtime,
    objects,
    limits: {
      maxFileBytes: config.FILES_MAX_FILE_BYTES,
      maxEventDocumentBytes: config.FILES_MAX_EVENT_DOCUMENT_BYTES,
      maxTextChars: config.FILES_MAX_TEXT_CHARS,
      allowedTypes: config.FILES_ALLOWED_TYPES,
    },
    tokenKeys: config.FILES_TOKEN_KEYS,
    processSandboxOwners: config.FILES_PROCESS_SANDBOX_OWNERS,
    appApiToken: config.APP_API_TOKEN,
    maxBodyBytes: config.MAX_BODY_BYTES,
    crashAt: config.FILES_CRASH_AT,
  });
  const service = await runService({
    app,
    port: config.PORT,
    logger: runtime.logger,
    readiness: runtime.readiness,
    onShutdown: [() => runtime.close(), async () => objects.close()],
  });
  exitOnSignals(service, runtime.logger);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
  process.stderr.write(`files failed to start: ${message}\n`);
  process.exit(1);
});
