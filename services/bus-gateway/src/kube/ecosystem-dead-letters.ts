import type { LedgerEntry } from "../domain/ledger-entry.js";
import { partnerRemovedReason } from "../domain/orphaned-entries.js";

// The dead letters the gateway holds, counted by kind, target and topic: what it writes into
// its Ecosystem's status.deadLetters (the CRD's schema), from which the operator shows each
// BusRoute's and module's own count. Sorted, so an unchanged ledger writes the same list.

export interface DeadLetterCount {
  kind: LedgerEntry["kind"];
  target: string;
  topic: string;
  count: number;
}

/** The CRD's maxItems: the largest groups are kept. */
export const maxDeadLetterGroups = 1000;

export function deadLetterCounts(entries: Iterable<LedgerEntry>): DeadLetterCount[] {
  const groups = new Map<string, DeadLetterCount>();
  for (const entry of entries) {
    if (entry.state !== "dead-lettered") continue;
    const key = JSON.stringify([entry.kind, entry.target, entry.topic]);
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { kind: entry.kind, target: entry.target, topic: entry.topic, count: 1 });
  }
  const byKey = (a: DeadLetterCount, b: DeadLetterCount) =>
    a.kind.localeCompare(b.kind) ||
    a.target.localeCompare(b.target) ||
    a.topic.localeCompare(b.topic);
  const all = [...groups.values()];
  if (all.length <= maxDeadLetterGroups) return all.sort(byKey);
  return all
    .sort((a, b) => b.count - a.count || byKey(a, b))
    .slice(0, maxDeadLetterGroups)
    .sort(byKey);
}

/**
 * Dead letters of partners that are gone (reason PartnerRemoved): the Ecosystem's
 * status.partnerRemoved. A replay to another partner takes them out of it.
 */
export function partnerRemovedCount(entries: Iterable<LedgerEntry>): number {
  let count = 0;
  for (const entry of entries)
    if (
      entry.kind === "partner" &&
      entry.state === "dead-lettered" &&
      entry.lastError?.startsWith(`${partnerRemovedReason}:`)
    )
      count += 1;
  return count;
}
