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
  let lastErrorAt = 0;
  let oldest = Number.POSITIVE_INFINITY;
  for (const entry of ledger.entries()) {
    if (entry.kind !== "partner" || entry.target !== partner) continue;
    if (entry.state === "dead-lettered") stats.deadLettered += 1;
    else stats[entry.state] += 1;
    if (entry.state !== "delivered" && entry.state !== "dead-lettered")
      oldest = Math.min(oldest, entry.acceptedAt);
    if (entry.lastError && entry.updatedAt >= lastErrorAt) {
      lastErrorAt = entry.updatedAt;
      stats.lastError = entry.lastError;
    }
  }
  if (oldest !== Number.POSITIVE_INFINITY)
    stats.oldestPendingSeconds = Math.max(0, Math.floor((now - oldest) / 1000));
  return stats;
}
