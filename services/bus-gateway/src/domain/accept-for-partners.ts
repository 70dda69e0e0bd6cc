import type { PartnerConfig } from "../config.js";
import type { GatewayContext } from "./gateway-context.js";
import type { NewEntry } from "./ledger.js";

// A corporate-bus message for the partners that consume its topic: one ledger entry per
// partner, durable before the message is acknowledged to Dapr. Delivery happens later,
// in order, by each partner's dispatcher. A payload that breaks the topic's schema is
// recorded as a dead letter instead.

export interface PartnerIntake {
  queued: number;
  duplicates: number;
  invalid: number;
}

export async function acceptForPartners(
  context: GatewayContext,
  partners: readonly PartnerConfig[],
  message: { id: string; topic: string; payload: unknown },
): Promise<PartnerIntake> {
  const schemaRoute = context.routes.schemaRouteFor(message.topic);
  const validation = schemaRoute
    ? context.validator.validate(schemaRoute.name, message.payload)
    : { ok: true as const };
  const payload = JSON.stringify(message.payload);
  const entries: NewEntry[] = partners.map((partner) => ({
    messageId: message.id,
    kind: "partner",
    target: partner.name,
    topic: message.topic,
    pubsub: context.file.corporatePubsub,
    payload,
    ...(validation.ok
      ? { state: context.dispatchers.get(partner.name)?.intakeState ?? "accepted" }
      : { state: "dead-lettered" as const, lastError: validation.error }),
  }));
  const results = await context.ledger.accept(entries);
  for (const partner of partners) context.dispatchers.get(partner.name)?.wake();
  const duplicates = results.filter((result) => result === "duplicate").length;
  return {
    queued: validation.ok ? results.length - duplicates : 0,
    duplicates,
    invalid: validation.ok ? 0 : results.length - duplicates,
  };
}
