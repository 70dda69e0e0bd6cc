import { EventEmitter } from "node:events";
import type { AppendResult } from "../data/ledger-store.js";
import type { LedgerRecord } from "../data/ledger-record-model.js";
import type { EntryChange } from "./delivery-outcome.js";
import {
  entryKey,
  isPending,
  type EntryKind,
  type LedgerEntry,
  type LedgerState,
} from "./ledger-entry.js";

// The delivery ledger: durable records (append-only, group-committed) and, in memory, the
// current state of every open entry (pending or dead-lettered), read back at start. A
// delivered entry leaves memory: the database keeps it, a redelivery of its message is
// recognised by its first record's unique `_id`, and `find` reads it by key. Memory is
// bounded by what is open, not by the ledger's size. The gateway is the ledger's only
// writer. Every write resolves only once it is durable, so a handler that awaits it can
// acknowledge to Dapr (outbox).

export interface RecordStore {
  appendAll(records: readonly LedgerRecord[]): Promise<AppendResult[]>;
  /** The records of every entry not delivered (and maybe of a few delivered: see closeKeys). */
  readOpen(): Promise<LedgerRecord[]>;
  /** Entries found delivered by readOpen: they are not open any more. */
  closeKeys(keys: readonly string[]): Promise<void>;
  readKeys(keys: readonly string[]): Promise<LedgerRecord[]>;
  /** Every record, in batches (the audit). */
  streamAll(): AsyncIterable<LedgerRecord>;
  /** The records in one state, in batches, payloads left out (compaction, counts). */
  streamState(state: LedgerState): AsyncIterable<LedgerRecord>;
  /** The records of one kind and/or target, in batches, payloads left out. */
  streamMatching(filter: { kind?: string; target?: string }): AsyncIterable<LedgerRecord>;
  /**
   * Writes the counts (each once: a count's `_id` is its day, kind, target and state) and
   * then deletes every record of `keys`. Safe to repeat after a failure half-way.
   */
  compact(keys: readonly string[], counts: readonly CompactedCount[]): Promise<void>;
  readCompacted(): Promise<CompactedCount[]>;
}

/** Delivered entries of one UTC day, kind and target that the ledger no longer keeps one by one. */
export interface CompactedCount {
  _id: string;
  day: string;
  kind: string;
  target: string;
  state: LedgerState;
  count: number;
}

const dayMs = 86_400_000;

export interface NewEntry {
  messageId: string;
  kind: EntryKind;
  target: string;
  topic: string;
  pubsub: string;
  state: LedgerState;
  payload?: string;
  lastError?: string;
  attempts?: number;
}

/**
 * `replay`: a dead letter sent again on request (counted); `reopen`: a terminal entry failed
 * again (a replayed dead letter dead-lettered once more). Only these change a terminal entry.
 */
export type LedgerChange = EntryChange & {
  seq?: number;
  replay?: boolean;
  reopen?: boolean;
  acceptedAt?: number;
  /** The message body again (a reopened entry whose payload was let go once delivered). */
  payload?: string;
};

export interface LedgerEvents {
  accepted: [LedgerEntry];
  changed: [LedgerEntry, LedgerState];
}

export class Ledger extends EventEmitter<LedgerEvents> {
  /** Open entries only: pending and dead-lettered. */
  readonly #entries = new Map<string, LedgerEntry>();
  readonly #changing = new Map<string, Promise<void>>();
  #lastSeq = 0;
  /** Delivered entries kept one by one, per kind and target: counted by a pass over the database. */
  #delivered: Map<string, number> | undefined;
  /** Deliveries while a pass counts (added to its result), and their entries' keys. */
  #sinceCount: Map<string, number> | undefined;
  #sinceKeys: Map<string, string> | undefined;
  /** The last error of an entry that left memory delivered, per kind and target. */
  readonly #lastErrors = new Map<string, { error: string; at: number }>();

  constructor(
    private readonly store: RecordStore,
    private readonly clock: () => number = Date.now,
  ) {
    super();
  }

  /** Open entries (pending and dead-lettered) in memory. */
  get size(): number {
    return this.#entries.size;
  }

  /** An open entry (pending or dead-lettered); `find` also reads delivered ones. */
  get(key: string): LedgerEntry | undefined {
    return this.#entries.get(key);
  }

  /** An entry in any state: from memory if open, else from the database. */
  async find(key: string): Promise<LedgerEntry | undefined> {
    const open = this.#entries.get(key);
    if (open) return open;
    return foldRecords(await this.store.readKeys([key])).get(key);
  }

  /** Open entries (pending and dead-lettered). */
  entries(): IterableIterator<LedgerEntry> {
    return this.#entries.values();
  }

  /**
   * Delivered entries of one kind and target the ledger keeps one by one (not yet counted
   * per day), or undefined until the first count (`countDelivered`) is done.
   */
  delivered(kind: EntryKind, target: string): number | undefined {
    if (!this.#delivered) return undefined;
    const key = countKey(kind, target);
    return (this.#delivered.get(key) ?? 0) + (this.#sinceCount?.get(key) ?? 0);
  }

  /** The last error of a delivered entry of this kind and target since start. */
  lastDeliveredError(kind: EntryKind, target: string): { error: string; at: number } | undefined {
    return this.#lastErrors.get(countKey(kind, target));
  }

  /** Reads back the open entries: the last revision of each key wins. */
  async load(): Promise<void> {
    const folded = foldRecords(await this.store.readOpen());
    this.#entries.clear();
    const closed: string[] = [];
    for (const entry of folded.values()) {
      this.#lastSeq = Math.max(this.#lastSeq, entry.seq);
      if (entry.state === "delivered") closed.push(entry.key);
      else this.#entries.set(entry.key, entry);
    }
    if (closed.length > 0) await this.store.closeKeys(closed);
  }

  /** Counts the delivered entries in the database, one pass in batches (run after start). */
  async countDelivered(): Promise<void> {
    const since = new Map<string, number>();
    const sinceKeys = new Map<string, string>();
    this.#sinceCount = since;
    this.#sinceKeys = sinceKeys;
    // A delivery during the pass is counted as it happens; the pass may read its record
    // too. Records of the last minute the pass counted are remembered, to take those out.
    const recent = this.clock() - 60_000;
    const recentKeys = new Set<string>();
    try {
      const counts = new Map<string, number>();
      const replayed = new Set<string>();
      for await (const record of this.store.streamState("delivered")) {
        if (this.#entries.has(record.key) || sinceKeys.has(record.key)) continue;
        // An entry delivered twice (a replayed dead letter) is counted once.
        if (record.replays > 0) {
          if (replayed.has(record.key)) continue;
          replayed.add(record.key);
        }
        const key = countKey(record.kind, record.target);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (new Date(record.at).getTime() >= recent) recentKeys.add(record.key);
      }
      for (const [key, count] of since) counts.set(key, (counts.get(key) ?? 0) + count);
      for (const [deliveredKey, key] of sinceKeys)
        if (recentKeys.has(deliveredKey)) counts.set(key, (counts.get(key) ?? 0) - 1);
      this.#delivered = counts;
    } finally {
      this.#sinceCount = undefined;
      this.#sinceKeys = undefined;
    }
  }

  #countDelivery(entry: LedgerEntry, by: number): void {
    const key = countKey(entry.kind, entry.target);
    if (by > 0) this.#sinceKeys?.set(entry.key, key);
    const counts = this.#sinceCount ?? this.#delivered;
    if (counts) counts.set(key, (counts.get(key) ?? 0) + by);
  }

  #nextSeq(): number {
    this.#lastSeq = Math.max(this.#lastSeq + 1, this.clock() * 1000);
    return this.#lastSeq;
  }

  /**
   * Writes the first record of each entry. Resolves once durable with, per entry, the
   * entry or "duplicate" when the key was already recorded (a redelivery).
   */
  async accept(newEntries: readonly NewEntry[]): Promise<Array<LedgerEntry | "duplicate">> {
    const now = this.clock();
    const entries: LedgerEntry[] = newEntries.map((n) => ({
      key: entryKey(n.kind, n.target, n.topic, n.messageId),
      messageId: n.messageId,
      kind: n.kind,
      target: n.target,
      topic: n.topic,
      pubsub: n.pubsub,
      state: n.state,
      attempts: n.attempts ?? 0,
      lastError: n.lastError,
      seq: this.#nextSeq(),
      acceptedAt: now,
      updatedAt: now,
      payload: n.payload,
      revision: 0,
      replays: 0,
    }));
    // Open entries are known in memory; a delivered one is recognised by the database
    // (its first record's `_id` exists).
    const fresh = entries.filter((entry) => !this.#entries.has(entry.key));
    const results = await this.store.appendAll(fresh.map((entry) => toRecord(entry, true)));
    const written = new Set(
      fresh.filter((_, index) => results[index] === "written").map((entry) => entry.key),
    );
    // A duplicate the view does not know is delivered, or was written by an attempt that
    // failed half-way (the handler answered an error, Dapr redelivered): read it back, so
    // memory holds every open entry the database has.
    const unknown = fresh.filter(
      (entry) => !written.has(entry.key) && !this.#entries.has(entry.key),
    );
    if (unknown.length > 0) {
      const records = await this.store.readKeys(unknown.map((entry) => entry.key));
      const delivered: string[] = [];
      for (const entry of foldRecords(records).values()) {
        if (entry.state === "delivered") delivered.push(entry.key);
        else if (!this.#entries.has(entry.key)) this.#entries.set(entry.key, entry);
      }
      // The redelivery's first record marked the entry open again: it is not.
      if (delivered.length > 0) await this.store.closeKeys(delivered);
    }
    return entries.map((entry) => {
      if (!written.has(entry.key)) return "duplicate";
      entry.revision = 1;
      if (entry.state === "delivered") {
        delete entry.payload;
        this.#countDelivery(entry, 1);
      } else this.#entries.set(entry.key, entry);
      this.emit("accepted", entry);
      return entry;
    });
  }

  /**
   * Appends a state change; resolves once durable. Changes of one entry are applied one
   * after the other (each record has the next revision), and a delivered or dead-lettered
   * entry changes again only by a replay.
   */
  change(entry: LedgerEntry, change: LedgerChange): Promise<void> {
    const previous = this.#changing.get(entry.key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.#applyChange(entry, change));
    this.#changing.set(entry.key, run);
    const forget = () => {
      if (this.#changing.get(entry.key) === run) this.#changing.delete(entry.key);
    };
    run.then(forget, forget);
    return run;
  }

  async #applyChange(entry: LedgerEntry, change: LedgerChange): Promise<void> {
    if (!isPending(entry) && !change.replay && !change.reopen) return;
    const previous = entry.state;
    const next: LedgerEntry = {
      ...entry,
      state: change.state,
      attempts: change.attempts,
      lastError: change.lastError ?? entry.lastError,
      lastFailure: change.lastFailure ?? entry.lastFailure,
      nextAttemptAt: change.nextAttemptAt,
      seq: change.seq ?? entry.seq,
      acceptedAt: change.acceptedAt ?? entry.acceptedAt,
      replays: entry.replays + (change.replay ? 1 : 0),
      updatedAt: this.clock(),
      payload: change.payload ?? entry.payload,
    };
    // The payload travels again with a replay or a reopening, so the record alone can
    // redeliver it.
    await this.store.appendAll([
      toRecord(next, change.replay === true || change.payload !== undefined),
    ]);
    Object.assign(entry, next, { revision: entry.revision + 1 });
    if (entry.state === "delivered") {
      delete entry.payload;
      this.#entries.delete(entry.key);
      if (previous !== "delivered") this.#countDelivery(entry, 1);
      if (entry.lastError !== undefined)
        this.#lastErrors.set(countKey(entry.kind, entry.target), {
          error: entry.lastError,
          at: entry.updatedAt,
        });
    } else {
      // A delivered entry read from the database and opened again comes back into memory.
      this.#entries.set(entry.key, entry);
      if (previous === "delivered") this.#countDelivery(entry, -1);
    }
    if (previous !== entry.state) this.emit("changed", entry, previous);
  }

  /**
   * Bounds the ledger: delivered entries last changed on a UTC day wholly older than
   * `retentionMs` are replaced by per-day counts (whole days only, so a count never changes
   * once written). Pending entries and dead letters stay, visible and replayable. A message
   * redelivered by a broker after its entry was compacted is not recognised any more.
   * Delivered entries are read from the database in batches; those old enough are held
   * (key, day, kind, target) until their counts are written.
   */
  async compact(retentionMs: number): Promise<CompactedCount[]> {
    const cutoff = Math.floor((this.clock() - retentionMs) / dayMs) * dayMs;
    const old = new Map<string, { at: number; kind: string; target: string; replays: number }>();
    for await (const record of this.store.streamState("delivered")) {
      const at = new Date(record.at).getTime();
      if (at >= cutoff || this.#entries.has(record.key)) continue;
      const seen = old.get(record.key);
      if (!seen || seen.at < at)
        old.set(record.key, {
          at,
          kind: record.kind,
          target: record.target,
          replays: record.replays,
        });
    }
    // A delivered record of a replayed entry may not be its last: read those entries whole.
    const replayed = [...old].filter(([, entry]) => entry.replays > 0).map(([key]) => key);
    if (replayed.length > 0) {
      const folded = foldRecords(await this.store.readKeys(replayed));
      for (const key of replayed) {
        const entry = folded.get(key);
        if (!entry || entry.state !== "delivered" || entry.updatedAt >= cutoff) old.delete(key);
      }
    }
    if (old.size === 0) return [];
    const counts = new Map<string, CompactedCount>();
    for (const entry of old.values()) {
      const day = new Date(Math.floor(entry.at / dayMs) * dayMs).toISOString().slice(0, 10);
      const id = `${day}:${entry.kind}:${entry.target}:delivered`;
      const count = counts.get(id) ?? {
        _id: id,
        day,
        kind: entry.kind,
        target: entry.target,
        state: "delivered" as const,
        count: 0,
      };
      count.count += 1;
      counts.set(id, count);
    }
    await this.store.compact([...old.keys()], [...counts.values()]);
    if (this.#delivered)
      for (const entry of old.values()) {
        const key = countKey(entry.kind, entry.target);
        this.#delivered.set(key, (this.#delivered.get(key) ?? 0) - 1);
      }
    return [...counts.values()];
  }

  /** A new position at the end of the order (for replays). */
  nextSeq(): number {
    return this.#nextSeq();
  }

  /** Pending entries of one target, oldest first. */
  pending(kind: EntryKind, target: string): LedgerEntry[] {
    const list: LedgerEntry[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.kind === kind && entry.target === target && isPending(entry)) list.push(entry);
    }
    return list.sort((a, b) => a.seq - b.seq);
  }
}

function countKey(kind: string, target: string): string {
  return `${kind}:${target}`;
}

export function toRecord(entry: LedgerEntry, withPayload: boolean): LedgerRecord {
  return {
    _id: `${entry.key}@${entry.revision}`,
    key: entry.key,
    revision: entry.revision,
    messageId: entry.messageId,
    kind: entry.kind,
    target: entry.target,
    topic: entry.topic,
    pubsub: entry.pubsub,
    state: entry.state,
    attempts: entry.attempts,
    ...(entry.lastError !== undefined ? { lastError: entry.lastError } : {}),
    ...(entry.lastFailure !== undefined ? { lastFailure: entry.lastFailure } : {}),
    seq: entry.seq,
    acceptedAt: new Date(entry.acceptedAt),
    at: new Date(entry.updatedAt),
    ...(entry.nextAttemptAt !== undefined ? { nextAttemptAt: new Date(entry.nextAttemptAt) } : {}),
    ...(withPayload && entry.payload !== undefined ? { payload: entry.payload } : {}),
    replays: entry.replays,
  };
}

/** Folds records into entries: the highest revision of each key, with the latest payload seen. */
export function foldRecords(records: readonly LedgerRecord[]): Map<string, LedgerEntry> {
  const sorted = [...records].sort((a, b) =>
    a.key === b.key ? a.revision - b.revision : a.key < b.key ? -1 : 1,
  );
  const entries = new Map<string, LedgerEntry>();
  for (const record of sorted) {
    const previous = entries.get(record.key);
    entries.set(record.key, {
      key: record.key,
      messageId: record.messageId,
      kind: record.kind as EntryKind,
      target: record.target,
      topic: record.topic,
      pubsub: record.pubsub,
      state: record.state,
      attempts: record.attempts,
      lastError: record.lastError,
      lastFailure: record.lastFailure as LedgerEntry["lastFailure"],
      seq: record.seq,
      acceptedAt: new Date(record.acceptedAt).getTime(),
      updatedAt: new Date(record.at).getTime(),
      nextAttemptAt: record.nextAttemptAt ? new Date(record.nextAttemptAt).getTime() : undefined,
      payload: record.payload ?? previous?.payload,
      revision: record.revision + 1,
      replays: record.replays,
    });
  }
  return entries;
}
