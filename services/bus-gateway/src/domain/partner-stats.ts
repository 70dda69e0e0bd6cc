import type { Ledger } from "./ledger.js";

/** What a partner's status shows: counts by state, the last error, the oldest pending age. */
export interface PartnerStats {
  delivered: number;
  retrying: number;
  buffered: number;
  accepted: number;
  deadLettered: number;
  lastError: string;
  oldestPendingSeconds: number;
  circuit: "closed" | "open";
}

export function partnerStats(
  ledger: Ledger,
  partner: string,
  circuit: "closed" | "open",
  now = Date.now(),
): PartnerStats {
  const stats: PartnerStats = {
    delivered: 0,
    retrying: 0,
    buffered: 0,
    accepted: 0,
    deadLettered: 0,
    lastError: "",
    oldestPendingSeconds: 0,
    circuit,
  };
  let oldest = Number.POSITIVE_INFINITY;
  // Open entries are in memory; delivered ones are counted by the ledger.
  stats.delivered = ledger.deliveredCount("partner", partner);
  for (const entry of ledger.entries()) {
    if (entry.kind !== "partner" || entry.target !== partner) continue;
    if (entry.state === "dead-lettered") stats.deadLettered += 1;
    else if (entry.state !== "delivered") {
      stats[entry.state] += 1;
      oldest = Math.min(oldest, entry.acceptedAt);
    }
  }
  stats.lastError = ledger.lastError("partner", partner)?.error ?? "";
  if (oldest !== Number.POSITIVE_INFINITY)
    stats.oldestPendingSeconds = Math.max(0, Math.floor((now - oldest) / 1000));
  return stats;
}
