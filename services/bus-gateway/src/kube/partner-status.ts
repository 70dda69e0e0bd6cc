import { mergeConditions, type Condition, type ConditionInput } from "@symbiont/contracts";
import type { PartnerStats } from "../domain/partner-stats.js";

// What the gateway writes into a PartnerIntegration's status (pure): delivery counts and
// the Delivering and Buffering conditions. The operator owns `Ready`; conditions are a
// list-map keyed by `type`, so server-side apply merges ours with its.

export interface DeliveryStatus {
  delivered: number;
  retrying: number;
  buffered: number;
  deadLettered: number;
  lastError: string;
  oldestPendingSeconds: number;
}

export function deliveryStatus(stats: PartnerStats): DeliveryStatus {
  return {
    delivered: stats.delivered,
    retrying: stats.retrying,
    buffered: stats.buffered,
    deadLettered: stats.deadLettered,
    lastError: stats.lastError.slice(0, 1024),
    oldestPendingSeconds: stats.oldestPendingSeconds,
  };
}

export function partnerConditions(
  stats: PartnerStats,
  previous: readonly Condition[],
  generation: number,
  now: Date,
): Condition[] {
  const backlog = stats.accepted + stats.retrying + stats.buffered;
  const delivering: ConditionInput =
    stats.circuit === "open"
      ? {
          type: "Delivering",
          status: "False",
          reason: "PartnerUnreachable",
          message: `the partner does not answer (${stats.lastError || "no answer"}); new messages are buffered`,
        }
      : stats.retrying > 0
        ? {
            type: "Delivering",
            status: "False",
            reason: "Retrying",
            message: `${stats.retrying} message(s) being retried; last error: ${stats.lastError}`,
          }
        : {
            type: "Delivering",
            status: "True",
            reason: "Delivering",
            message: `${stats.delivered} message(s) delivered`,
          };
  const buffering: ConditionInput =
    backlog > 0
      ? {
          type: "Buffering",
          status: "True",
          reason: stats.buffered > 0 ? "PartnerDown" : "Backlog",
          message: `${backlog} message(s) pending, the oldest for ${stats.oldestPendingSeconds}s`,
        }
      : {
          type: "Buffering",
          status: "False",
          reason: "Empty",
          message: "nothing is waiting for this partner",
        };
  return mergeConditions(previous, [delivering, buffering], generation, now);
}

/** The part of a status that decides whether a write is needed (times excluded). */
export function statusFingerprint(
  delivery: DeliveryStatus,
  conditions: readonly Condition[],
): string {
  return JSON.stringify([
    delivery,
    conditions.map((c) => [c.type, c.status, c.reason, c.message, c.observedGeneration]),
  ]);
}
