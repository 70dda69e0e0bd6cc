import { randomUUID } from "node:crypto";
import { callbackRequestedTopic, type CallbackRequested } from "@symbiont/processes/events";
import type { PartnerEndpoint } from "../domain/partner-endpoint.js";
import { sendWebhook, type WebhookOutcome } from "../domain/send-webhook.js";
import { CallCentre, type QueueSpec } from "./call-centre.js";

// The telephony partner (MISSION T1, kind `telephony`): its call centre, and the callback
// requests it sends as signed webhooks (`telephony.callback.requested`, Idempotency-Key
// `telephony.callback.requested:<requestId>`) to its callback URL, normally the bus gateway's
// `/inbound/<name>`. The payload is the processes module's (`@symbiont/processes/events`).

export interface TelephonySettings {
  callbackUrl?: string;
}

export interface SentCallback {
  request: CallbackRequested;
  webhook: WebhookOutcome;
}

export const defaultQueues: QueueSpec[] = [
  { name: "sales", key: "1", managers: [] },
  { name: "support", key: "2", managers: [] },
];

export class Telephony {
  settings: TelephonySettings;
  centre: CallCentre;
  readonly callbacks: SentCallback[] = [];

  constructor(private readonly endpoint: PartnerEndpoint) {
    this.settings = endpoint.partner.callbackUrl
      ? { callbackUrl: endpoint.partner.callbackUrl }
      : {};
    this.centre = Telephony.#centre(defaultQueues);
  }

  /** New queues (and managers): the calls so far are forgotten. */
  configure(queues: QueueSpec[]): void {
    this.centre = Telephony.#centre(queues);
  }

  async send(request: CallbackRequested): Promise<SentCallback> {
    const url = this.settings.callbackUrl;
    const secret = this.endpoint.partner.secret;
    const webhook: WebhookOutcome = url
      ? await sendWebhook({
          url,
          topic: callbackRequestedTopic,
          idempotencyKey: `${callbackRequestedTopic}:${request.requestId}`,
          payload: request,
          ...(secret ? { secret } : {}),
        })
      : { status: null, attempts: 0, answer: "no callback URL set", delivered: false };
    const sent = { request, webhook };
    this.callbacks.push(sent);
    return sent;
  }

  static #centre(queues: QueueSpec[]): CallCentre {
    return new CallCentre(queues, {
      now: () => new Date(),
      newId: () => randomUUID().slice(0, 13),
    });
  }
}
