import type { Ledger } from "./ledger.js";
import type { LedgerEntry } from "./ledger-entry.js";
import { isPending } from "./ledger-entry.js";

// A PartnerIntegration deleted, renamed or switched to inbound leaves its pending entries
// with no dispatcher to deliver them. At start they become dead letters with reason
// PartnerRemoved: listed at /v1/deadletters, counted, and replayable to another partner
// (`to` in the replay request), instead of waiting forever where nobody looks.

export const partnerRemovedReason = "PartnerRemoved";

export async function deadLetterOrphans(
  ledger: Ledger,
  outboundPartners: ReadonlySet<string>,
): Promise<LedgerEntry[]> {
  const orphans = [...ledger.entries()].filter(
    (entry) => entry.kind === "partner" && isPending(entry) && !outboundPartners.has(entry.target),
  );
  await Promise.all(
    orphans.map((entry) =>
      ledger.change(entry, {
        state: "dead-lettered",
        attempts: entry.attempts,
        lastError: `${partnerRemovedReason}: ${entry.target} is no longer an outbound partner of the ecosystem (deleted, renamed or inbound); replay it to another partner with "to"`,
      }),
    ),
  );
  return orphans;
}
