import { WebhookAttemptClock, webhookSignatureHeaders } from "@symbiont/contracts";

// A partner's webhook to the bus gateway (`POST /inbound/<partner>`), signed with the
// contract's own signing function (imported, not copied: the gateway verifies with its twin):
// the Idempotency-Key is the webhook-id, the topic and body are signed with the time of each
// attempt. Retried like a real partner retries: on network errors, 429 and 5xx, with growing
// pauses, signed anew each time; a 4xx other than 429 is final.

/** One clock for every webhook this process sends: a message's attempts never share a second. */
const attempts = new WebhookAttemptClock();

export interface Webhook {
  url: string;
  topic: string;
  idempotencyKey: string;
  payload: unknown;
  /** The partner's HMAC key; unsigned without one. */
  secret?: string;
}

export interface WebhookOutcome {
  status: number | null;
  attempts: number;
  /** The gateway's answer, or why there was none. */
  answer: unknown;
  delivered: boolean;
}

export async function sendWebhook(
  webhook: Webhook,
  options: { maxAttempts?: number; firstPauseMs?: number; timeoutMs?: number } = {},
): Promise<WebhookOutcome> {
  const maxAttempts = options.maxAttempts ?? 8;
  const body = JSON.stringify(webhook.payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-symbiont-topic": webhook.topic,
    "idempotency-key": webhook.idempotencyKey,
  };
  let pause = options.firstPauseMs ?? 200;
  let last: WebhookOutcome = { status: null, attempts: 0, answer: null, delivered: false };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const signature = webhook.secret
        ? webhookSignatureHeaders(
            { id: webhook.idempotencyKey, topic: webhook.topic, body },
            webhook.secret,
            attempts.next(webhook.idempotencyKey),
          )
        : {};
      const response = await fetch(webhook.url, {
        method: "POST",
        headers: { ...headers, ...signature },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await response.text();
      last = {
        status: response.status,
        attempts: attempt,
        answer: parseOrKeep(text),
        delivered: response.ok,
      };
      if (response.ok || (response.status < 500 && response.status !== 429)) return last;
    } catch (error) {
      last = {
        status: null,
        attempts: attempt,
        answer: (error as Error).message,
        delivered: false,
      };
    }
    if (attempt < maxAttempts) await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 5_000);
  }
  return last;
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
