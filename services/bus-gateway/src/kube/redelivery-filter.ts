import type { RedeliverySpec } from "@symbiont/contracts";
import type { DeadLetterFilter } from "../domain/dead-letters.js";

// A Redelivery's selector as the ledger's dead-letter filter: every field given must match.

export function filterOf(spec: RedeliverySpec): DeadLetterFilter {
  const { selector } = spec;
  return {
    ...(selector.partner !== undefined ? { partner: selector.partner } : {}),
    ...(selector.kind !== undefined ? { kind: selector.kind } : {}),
    ...(selector.topic !== undefined ? { topic: selector.topic } : {}),
    ...(selector.reason !== undefined ? { reason: selector.reason } : {}),
    ...(selector.since !== undefined ? { sinceMs: Date.parse(selector.since) } : {}),
    ...(selector.until !== undefined ? { untilMs: Date.parse(selector.until) } : {}),
  };
}
