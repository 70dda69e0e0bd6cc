import { subscriptionRoute, type ServiceRuntime } from "@symbiont/service-kit";
import { Router } from "express";
import { requireSidecarToken } from "../auth/require-sidecar-token.js";
import { clientMeetingStart } from "../domain/client-meeting.js";
import { documentStoredMessage } from "../domain/engine-services.js";
import type { ProcessEngine } from "../domain/process-engine.js";
import type { ProcessesDeps } from "../domain/processes-deps.js";
import { contactOf } from "../domain/customer-contact.js";
import { recordRating } from "../domain/record-rating.js";
import { assignCallback } from "../domain/callback-request.js";
import {
  callbackRequestedSchema,
  callbackRequestedTopic,
  customerChangedSchema,
  customerTopics,
  fileUploadedSchema,
  fileUploadedTopic,
  meetingBookedSchema,
  meetingBookedTopic,
  smsReplySchema,
  smsReplyTopic,
} from "./consumed-topics.js";
import { documentGeneratedTopic } from "./processes-topics.js";

/**
 * The bus's deliveries, idempotent by CloudEvent id (the kit's inbox): a booked meeting
 * starts its process, CRM's changes keep the clients' contacts, a document files stored for
 * an instance completes that instance's wait, a client's SMS reply may rate their meeting.
 * Sidecar deliveries only.
 */
export function processesSubscriptions(
  runtime: ServiceRuntime,
  deps: ProcessesDeps,
  engine: ProcessEngine,
  appApiToken: string | undefined,
): Router {
  const router = Router();
  const inbox = { inbox: runtime.inbox, logger: runtime.logger, metrics: runtime.metrics };
  router.use("/events", requireSidecarToken(appApiToken));
  router.use(
    subscriptionRoute(
      {
        topic: meetingBookedTopic,
        schema: meetingBookedSchema,
        handle: async (meeting, event) => {
          const start = clientMeetingStart(meeting, deps.settings);
          await engine.start({ ...start, startedBy: `event:${event.id}` });
        },
      },
      inbox,
    ),
  );
  for (const topic of customerTopics)
    router.use(
      subscriptionRoute(
        {
          topic,
          schema: customerChangedSchema,
          handle: async ({ profile, absorbedIds }) => {
            await deps.customers.upsert(contactOf(profile));
            // customer.merged: the ids merged away now lead to the survivor.
            for (const id of absorbedIds ?? []) await deps.customers.markMerged(id, profile.id);
          },
        },
        inbox,
      ),
    );
  router.use(
    subscriptionRoute(
      {
        topic: fileUploadedTopic,
        schema: fileUploadedSchema,
        handle: async (file) => {
          // Only documents this module generated, linked to one of its instances.
          if (file.origin?.topic !== documentGeneratedTopic) return;
          const link = file.links.find((l) => l.kind === "process-instance");
          if (!link) return;
          await engine.deliver(link.id, documentStoredMessage, {
            fileId: file.fileId,
            sandbox: file.sandbox.id,
            path: file.path,
            version: file.version,
            sha256: file.sha256,
          });
        },
      },
      inbox,
    ),
  );
  router.use(
    subscriptionRoute(
      {
        topic: smsReplyTopic,
        schema: smsReplySchema,
        handle: async (reply, event) => {
          const outcome = await recordRating(deps, reply);
          runtime.logger.info({ eventId: event.id, outcome }, "SMS reply read");
        },
      },
      inbox,
    ),
  );
  router.use(
    subscriptionRoute(
      {
        topic: callbackRequestedTopic,
        schema: callbackRequestedSchema,
        handle: async (request, event) => {
          const outcome = await assignCallback(deps, engine, request, `event:${event.id}`);
          runtime.logger.info({ eventId: event.id, ...outcome }, "callback request assigned");
        },
      },
      inbox,
    ),
  );
  return router;
}
