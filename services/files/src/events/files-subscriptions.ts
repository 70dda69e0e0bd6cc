import { subscriptionRoute, type ServiceRuntime } from "@symbiont/service-kit";
import { Router } from "express";
import { requireSidecarToken } from "../auth/require-sidecar-token.js";
import type { FilesDeps } from "../domain/files-deps.js";
import { storeGeneratedDocument } from "../domain/store-generated-document.js";
import { documentGeneratedSchema } from "./document-generated.js";
import { documentGeneratedTopic } from "./files-topics.js";

/** `document.generated` (from processes), idempotent by CloudEvent id; sidecar deliveries only. */
export function filesSubscriptions(
  runtime: ServiceRuntime,
  deps: FilesDeps,
  appApiToken: string | undefined,
): Router {
  const router = Router();
  router.use("/events", requireSidecarToken(appApiToken));
  router.use(
    subscriptionRoute(
      {
        topic: documentGeneratedTopic,
        schema: documentGeneratedSchema,
        handle: async (document, event) => {
          await storeGeneratedDocument(deps, document, event);
        },
      },
      { inbox: runtime.inbox, logger: runtime.logger, metrics: runtime.metrics },
    ),
  );
  return router;
}
