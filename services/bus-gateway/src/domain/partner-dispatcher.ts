import type { PartnerConfig } from "../config.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { afterAttempt, isExpired } from "./delivery-outcome.js";
import { backoffDelay } from "@symbiont/contracts";
import type { Ledger, LedgerChange } from "./ledger.js";
import type { LedgerEntry } from "./ledger-entry.js";
import type { SendToPartner } from "./partner-sender.js";
import { TokenBucket } from "./token-bucket.js";

// Delivers one partner's ledger entries in the order they were accepted, one at a time (or up
// to the partner's delivery.concurrency at once, for a partner that does not need the order).
// A transport failure holds the line (order is kept) and feeds the circuit; once the
// circuit is open, pending entries are recorded as buffered and only a probe goes out;
// the first success closes the circuit and the buffer is replayed in order. A rejected
// (4xx) message is retried later without holding back the others. Entries past the
// buffer TTL, or out of attempts, become dead letters.
// The ledger has a circuit too: an outcome it could not record is kept and written again
// before anything else is sent (backoff from backoffInitialMs to backoffMaxMs). While the
// ledger database is down, sends pause; nothing is sent again because its record is late.
// The partner's rateLimit paces sends (a token bucket: burst at once, then requestsPerSecond);
// a send that must wait for its token holds the line, so the order is kept.

export interface DispatcherLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

const idleCheckMs = 1_000;
/**
 * How long a delivered entry's record may wait to share a write with the next ones: sends do
 * not wait for it (the entry is not sent again while it is written), so a partner taking one
 * message at a time costs a ledger write per few messages instead of one each.
 */
export const deliveredLingerMs = 20;

export class PartnerDispatcher {
  readonly circuit: CircuitBreaker;
  #stopped = true;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  /** Outcomes the ledger could not record yet, oldest first. */
  readonly #unrecorded: Array<{ entry: LedgerEntry; change: LedgerChange }> = [];
  #ledgerFailures = 0;
  readonly #rate: TokenBucket;
  #throttled = 0;
  /** Delivered entries whose records are being written: not sent again meanwhile. */
  readonly #recording = new Set<string>();
  readonly #writes = new Set<Promise<boolean>>();

  constructor(
    readonly partner: PartnerConfig,
    private readonly ledger: Ledger,
    private readonly send: SendToPartner,
    private readonly log: DispatcherLog,
    private readonly clock: () => number = Date.now,
  ) {
    this.circuit = new CircuitBreaker({
      threshold: partner.delivery.circuitThreshold,
      initialMs: partner.delivery.backoffInitialMs,
      maxMs: partner.delivery.backoffMaxMs,
    });
    this.#rate = new TokenBucket(
      partner.rateLimit.requestsPerSecond,
      partner.rateLimit.burst,
      this.clock(),
    );
  }

  /** How many times a send waited for the partner's rate limit. */
  get throttled(): number {
    return this.#throttled;
  }

  /** False while outcomes wait for the ledger (its database is down): sends are paused. */
  get ledgerAvailable(): boolean {
    return this.#unrecorded.length === 0;
  }

  /** The state new entries of this partner are accepted in. */
  get intakeState(): "accepted" | "buffered" {
    return this.circuit.state === "open" ? "buffered" : "accepted";
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.wake();
    await this.#loop;
    await Promise.all(this.#writes);
  }

  wake(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = undefined;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let waitMs = idleCheckMs;
      try {
        waitMs = await this.#pass();
      } catch (error) {
        this.log.warn(
          { partner: this.partner.name, err: (error as Error).message },
          "delivery pass failed; retrying",
        );
      }
      if (waitMs > 0 && !this.#stopped) await this.#sleep(Math.min(waitMs, idleCheckMs));
    }
  }

  /** Records what could not be recorded; false (and sends stay paused) if it still cannot. */
  async #recordLate(): Promise<boolean> {
    while (this.#unrecorded.length > 0) {
      const { entry, change } = this.#unrecorded[0]!;
      try {
        await this.ledger.change(entry, change);
      } catch (error) {
        this.#ledgerFailures += 1;
        if (this.#ledgerFailures === 1)
          this.log.warn(
            { partner: this.partner.name, err: (error as Error).message },
            "ledger unavailable: deliveries paused until their outcomes are recorded",
          );
        return false;
      }
      this.#unrecorded.shift();
    }
    if (this.#ledgerFailures > 0)
      this.log.info({ partner: this.partner.name }, "ledger back: deliveries resume");
    this.#ledgerFailures = 0;
    return true;
  }

  /** Writes an outcome; when the ledger refuses, keeps it to be written before anything else. */
  async #record(entry: LedgerEntry, change: LedgerChange, lingerMs = 0): Promise<boolean> {
    try {
      await this.ledger.change(entry, change, lingerMs);
      return true;
    } catch (error) {
      this.#unrecorded.push({ entry, change });
      this.#ledgerFailures += 1;
      if (this.#ledgerFailures === 1)
        this.log.warn(
          { partner: this.partner.name, err: (error as Error).message },
          "ledger unavailable: deliveries paused until their outcomes are recorded",
        );
      return false;
    }
  }

  /** One pass over the pending entries; returns how long to wait before the next. */
  async #pass(): Promise<number> {
    const policy = this.partner.delivery;
    if (!(await this.#recordLate()))
      return backoffDelay(this.#ledgerFailures, policy.backoffInitialMs, policy.backoffMaxMs);
    const pending = this.ledger.pending("partner", this.partner.name);
    const live: LedgerEntry[] = [];
    for (const entry of pending) {
      if (this.#recording.has(entry.key)) continue;
      if (isExpired(entry, policy, this.clock())) {
        await this.ledger.change(entry, {
          state: "dead-lettered",
          attempts: entry.attempts,
          lastError: `buffer TTL ${policy.bufferTtlMs} ms exceeded${entry.lastError ? ` (last error: ${entry.lastError})` : ""}`,
        });
      } else live.push(entry);
    }
    if (live.length === 0) return idleCheckMs;
    // Entries accepted while the circuit was opening are buffered too.
    if (this.circuit.state === "open" && live.some((entry) => entry.state !== "buffered"))
      await this.#bufferPending();
    let waitUntil = Number.POSITIVE_INFINITY;
    // Up to `concurrency` sends at once (1: one after the other, in order); a probe of an
    // open circuit goes alone.
    const window = policy.concurrency;
    let index = 0;
    let halt = false;
    while (!halt && index < live.length) {
      if (this.#stopped || !this.ledgerAvailable) break;
      const batch: LedgerEntry[] = [];
      while (index < live.length && batch.length < window) {
        const entry = live[index]!;
        const now = this.clock();
        if (
          entry.nextAttemptAt !== undefined &&
          entry.nextAttemptAt > now &&
          entry.lastFailure === "rejected"
        ) {
          waitUntil = Math.min(waitUntil, entry.nextAttemptAt);
          index += 1;
          continue;
        }
        if (!this.circuit.allows(now)) {
          waitUntil = Math.min(waitUntil, this.circuit.retryAt);
          halt = true;
          break;
        }
        const paced = this.#rate.waitMs(now);
        if (paced > 0) {
          this.#throttled += 1;
          waitUntil = Math.min(waitUntil, now + paced);
          halt = true;
          break;
        }
        this.#rate.take(now);
        batch.push(entry);
        index += 1;
        if (this.circuit.state === "open") break;
      }
      const outcomes = await Promise.all(batch.map((entry) => this.send(this.partner, entry)));
      // Outcomes are recorded in the entries' order, every one of them: each was sent.
      for (const [at, entry] of batch.entries()) {
        const outcome = outcomes[at]!;
        const now = this.clock();
        if (outcome.kind === "delivered") {
          if (this.circuit.recordSuccess())
            this.log.info(
              { partner: this.partner.name },
              "partner is back: circuit closed, replaying the buffer in order",
            );
          this.#recordDelivered(entry, afterAttempt(entry, outcome, policy, now, false));
          continue;
        }
        if (outcome.kind === "rejected") {
          this.circuit.recordSuccess();
          await this.#record(entry, afterAttempt(entry, outcome, policy, now, false));
          continue;
        }
        const opened = this.circuit.recordFailure(now);
        const change = afterAttempt(entry, outcome, policy, now, this.circuit.state === "open");
        halt = true;
        if (!(await this.#record(entry, { ...change, nextAttemptAt: this.circuit.retryAt })))
          continue;
        if (opened) {
          this.log.warn(
            { partner: this.partner.name, err: outcome.error },
            "partner unreachable: circuit open, buffering",
          );
          await this.#bufferPending();
        }
        waitUntil = this.circuit.retryAt;
      }
    }
    if (!this.ledgerAvailable)
      return backoffDelay(this.#ledgerFailures, policy.backoffInitialMs, policy.backoffMaxMs);
    return waitUntil === Number.POSITIVE_INFINITY ? 0 : waitUntil - this.clock();
  }

  /** Writes a delivery's outcome without waiting for it; the entry is not sent meanwhile. */
  #recordDelivered(entry: LedgerEntry, change: LedgerChange): void {
    this.#recording.add(entry.key);
    const write = this.#record(entry, change, deliveredLingerMs).finally(() => {
      this.#recording.delete(entry.key);
      this.#writes.delete(write);
    });
    this.#writes.add(write);
  }

  async #bufferPending(): Promise<void> {
    const changes = this.ledger
      .pending("partner", this.partner.name)
      .filter((entry) => entry.state !== "buffered")
      .map((entry) =>
        this.ledger.change(entry, {
          state: "buffered",
          attempts: entry.attempts,
          nextAttemptAt: entry.nextAttemptAt,
        }),
      );
    await Promise.all(changes);
  }
}
