import { WebhookAttemptClock, webhookSignatureHeaders } from "@symbiont/contracts";
import type { PartnerConfig } from "../config.js";
import type { Bus } from "../events/dapr-bus.js";
import { classifyStatus, type AttemptOutcome } from "./delivery-outcome.js";
import type { LedgerEntry } from "./ledger-entry.js";

// One delivery attempt to a partner through its Dapr HTTP output binding. Headers go as
// binding metadata (capitalised keys become request headers). The Idempotency-Key is the
// message id: the same on every retry and replay, so the partner can drop duplicates. An hmac
// partner gets the webhook signature headers (docs/gateway-config.md): the message id as
// webhook-id, signed anew at every attempt with the current key.

/** What one attempt needs of a ledger entry. */
export type PartnerMessage = Pick<LedgerEntry, "messageId" | "topic" | "attempts" | "payload">;

export type SendToPartner = (
  partner: PartnerConfig,
  message: PartnerMessage,
) => Promise<AttemptOutcome>;

export function partnerHeaders(
  partner: PartnerConfig,
  entry: Pick<LedgerEntry, "messageId" | "topic" | "attempts">,
  body: string,
  secret: string | undefined,
  now = Date.now(),
): Record<string, string> {
  const headers: Record<string, string> = {
    "Idempotency-Key": entry.messageId,
    "Content-Type": "application/json",
    "X-Symbiont-Topic": entry.topic,
    "X-Symbiont-Attempt": String(entry.attempts + 1),
  };
  if (secret !== undefined) {
    if (partner.auth.type === "hmac")
      for (const [name, value] of Object.entries(
        webhookSignatureHeaders({ id: entry.messageId, topic: entry.topic, body }, secret, now),
      ))
        headers[capitalise(name)] = value;
    if (partner.auth.type === "bearer") headers.Authorization = `Bearer ${secret}`;
    if (partner.auth.type === "basic")
      headers.Authorization = `Basic ${Buffer.from(secret).toString("base64")}`;
  }
  return headers;
}

export function createPartnerSender(bus: Bus, secrets: ReadonlyMap<string, string>): SendToPartner {
  // A retry within the second of the previous attempt would look like its replay.
  const attempts = new WebhookAttemptClock();
  return async (partner, entry) => {
    const body = entry.payload ?? "null";
    const signedAt = attempts.next(`${partner.name}\u0000${entry.messageId}`);
    const metadata = {
      ...partnerHeaders(partner, entry, body, secrets.get(partner.name), signedAt),
      errorIfNot2XX: "false",
    };
    try {
      const answer = await bus.invokeBinding(
        partner.binding,
        body,
        metadata,
        partner.delivery.timeoutMs,
      );
      if (answer.statusCode === undefined)
        return { kind: "transport", error: "the binding returned no status code" };
      return classifyStatus(answer.statusCode);
    } catch (error) {
      return { kind: "transport", error: describe(error) };
    }
  };
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/connection refused|ECONNREFUSED/i.test(message)) return "connection refused";
  if (/timeout|deadline|no answer within/i.test(message))
    return `timeout: ${message.slice(0, 200)}`;
  return message.slice(0, 300);
}

/** Binding metadata becomes a request header only when capitalised (webhook-id: Webhook-Id). */
function capitalise(header: string): string {
  return header.replace(
    /(^|-)([a-z])/g,
    (_, dash: string, letter: string) => dash + letter.toUpperCase(),
  );
}
