import type { DeliveryPolicy } from "../config.js";
import { backoffDelay } from "@symbiont/contracts";
import type { FailureKind, LedgerEntry, LedgerState } from "./ledger-entry.js";

// The ledger's state machine for one delivery attempt. Pure: (entry, outcome, policy, now)
// -> the entry's next state. A transport failure (refused, 5xx, timeout) is the partner's
// problem: the message keeps its place in the order and, once the circuit is open, waits
// for the partner until bufferTtlMs. A rejection (4xx) is the message's problem: it is
// retried with backoff up to maxAttempts without holding back the messages after it.

export type AttemptOutcome =
  { kind: "delivered" } | { kind: FailureKind; error: string; status?: number };

export interface EntryChange {
  state: LedgerState;
  attempts: number;
  lastError?: string;
  lastFailure?: FailureKind;
  nextAttemptAt?: number;
}

export function afterAttempt(
  entry: Pick<LedgerEntry, "attempts" | "acceptedAt">,
  outcome: AttemptOutcome,
  policy: Pick<DeliveryPolicy, "maxAttempts" | "backoffInitialMs" | "backoffMaxMs" | "bufferTtlMs">,
  now: number,
  circuitOpen: boolean,
): EntryChange {
  const attempts = entry.attempts + 1;
  if (outcome.kind === "delivered") return { state: "delivered", attempts };
  const expired = now - entry.acceptedAt >= policy.bufferTtlMs;
  if (expired) {
    return {
      state: "dead-lettered",
      attempts,
      lastError: `${outcome.error}; buffer TTL ${policy.bufferTtlMs} ms exceeded`,
      lastFailure: outcome.kind,
    };
  }
  // A partner that is down does not use up a message's attempts: it is buffered until the
  // TTL (B2). Attempts count the partner's refusals of this very message.
  if (outcome.kind === "rejected" && attempts >= policy.maxAttempts) {
    return {
      state: "dead-lettered",
      attempts,
      lastError: `${outcome.error}; ${attempts} attempts (maxAttempts ${policy.maxAttempts})`,
      lastFailure: outcome.kind,
    };
  }
  return {
    state: circuitOpen ? "buffered" : "retrying",
    attempts,
    lastError: outcome.error,
    lastFailure: outcome.kind,
    nextAttemptAt: now + backoffDelay(attempts, policy.backoffInitialMs, policy.backoffMaxMs),
  };
}

/** Has a pending entry outlived its buffer? */
export function isExpired(
  entry: Pick<LedgerEntry, "acceptedAt">,
  policy: Pick<DeliveryPolicy, "bufferTtlMs">,
  now: number,
): boolean {
  return now - entry.acceptedAt >= policy.bufferTtlMs;
}

/** Classifies a partner's HTTP answer. 408 and 429 are the partner being busy: transport. */
export function classifyStatus(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: "delivered" };
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { kind: "rejected", status, error: `partner refused the message with HTTP ${status}` };
  }
  return { kind: "transport", status, error: `partner answered HTTP ${status}` };
}
