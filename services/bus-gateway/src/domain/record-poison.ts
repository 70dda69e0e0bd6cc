import type { GatewayContext } from "./gateway-context.js";

// A message the gateway can never take (not JSON, not a CloudEvent, over the body limit, a
// topic it does not serve) would be redelivered by Dapr forever and, with ordered delivery,
// hold back every message behind it. It is recorded at once as the gateway's own dead letter
// (a `drop` entry with the reason, the body's size and hash and its first bytes) and then
// acknowledged. It is kept for inspection, never replayed: sent again it would fail again.

/** How much of a poison message's body the ledger keeps. */
export const poisonHeadBytes = 4096;

export interface PoisonMessage {
  topic: string;
  reason: string;
  /** The CloudEvent id when one could be read; otherwise the body's hash names it. */
  id?: string;
  pubsub?: string;
  body: { head: string; bytes: number; sha256: string };
}

export async function recordPoison(
  context: GatewayContext,
  message: PoisonMessage,
): Promise<"dropped" | "duplicate"> {
  const { body } = message;
  const [written] = await context.ledger.accept([
    {
      messageId: message.id ?? `sha256-${body.sha256}`,
      kind: "drop",
      target: context.appId,
      topic: message.topic,
      pubsub: message.pubsub ?? "unknown",
      state: "dead-lettered",
      lastError: `${message.reason} (${body.bytes} bytes, sha256 ${body.sha256})`,
      payload: JSON.stringify(body.head),
    },
  ]);
  return written === "duplicate" ? "duplicate" : "dropped";
}

/** Is this the gateway's own record of a message it could never take? */
export function isPoison(
  context: GatewayContext,
  entry: { kind: string; target: string },
): boolean {
  return entry.kind === "drop" && entry.target === context.appId;
}
