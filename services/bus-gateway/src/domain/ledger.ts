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

// The delivery ledger: durable records (append-only, group-committed) and the current
// state of every entry in memory, rebuilt from the records at start. The gateway is the
// ledger's only writer. Every write resolves only once it is durable, so a handler that
// awaits it can acknowledge to Dapr (outbox).

export interface RecordStore {
  appendAll(records: readonly LedgerRecord[]): Promise<AppendResult[]>;
  readAll(): Promise<LedgerRecord[]>;
  readKeys(keys: readonly string[]): Promise<LedgerRecord[]>;
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
  readonly #entries = new Map<string, LedgerEntry>();
  readonly #changing = new Map<string, Promise<void>>();
  #lastSeq = 0;

  constructor(
    private readonly store: RecordStore,
    private readonly clock: () => number = Date.now,
  ) {
    super();
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): LedgerEntry | undefined {
    return this.#entries.get(key);
  }

  entries(): IterableIterator<LedgerEntry> {
    return this.#entries.values();
  }

  /** Rebuilds the view from the database: the last revision of each key wins. */
  async load(): Promise<void> {
    const records = await this.store.readAll();
    const folded = foldRecords(records);
    this.#entries.clear();
    for (const entry of folded.values()) {
      if (entry.state === "delivered") delete entry.payload;
      this.#entries.set(entry.key, entry);
      this.#lastSeq = Math.max(this.#lastSeq, entry.seq);
    }
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
    const fresh = entries.filter((entry) => !this.#entries.has(entry.key));
    const results = await this.store.appendAll(fresh.map((entry) => toRecord(entry, true)));
    const written = new Set(
      fresh.filter((_, index) => results[index] === "written").map((entry) => entry.key),
    );
    // A duplicate the view does not know was written by an attempt that failed half-way
    // (the handler answered an error, Dapr redelivered): read it back, so memory and
    // database agree.
    const unknown = fresh.filter(
      (entry) => !written.has(entry.key) && !this.#entries.has(entry.key),
    );
    if (unknown.length > 0) {
      const records = await this.store.readKeys(unknown.map((entry) => entry.key));
      for (const entry of foldRecords(records).values()) {
        if (!this.#entries.has(entry.key)) this.#entries.set(entry.key, entry);
      }
    }
    return entries.map((entry) => {
      if (!written.has(entry.key)) return "duplicate";
      entry.revision = 1;
      if (entry.state === "delivered") delete entry.payload;
      this.#entries.set(entry.key, entry);
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
    if (entry.state === "delivered") delete entry.payload;
    if (previous !== entry.state) this.emit("changed", entry, previous);
  }

  /**
   * Bounds the ledger: delivered entries last changed on a UTC day wholly older than
   * `retentionMs` are replaced by per-day counts (whole days only, so a count never changes
   * once written). Pending entries and dead letters stay, visible and replayable. A message
   * redelivered by a broker after its entry was compacted is not recognised any more.
   */
  async compact(retentionMs: number): Promise<CompactedCount[]> {
    const cutoff = Math.floor((this.clock() - retentionMs) / dayMs) * dayMs;
    // Every delivered entry of a day at once (a delivered entry never changes again), so a
    // day's count is complete when written.
    const old = [...this.#entries.values()].filter(
      (entry) => entry.state === "delivered" && entry.updatedAt < cutoff,
    );
    if (old.length === 0) return [];
    const counts = new Map<string, CompactedCount>();
    for (const entry of old) {
      const day = new Date(Math.floor(entry.updatedAt / dayMs) * dayMs).toISOString().slice(0, 10);
      const id = `${day}:${entry.kind}:${entry.target}:${entry.state}`;
      const count = counts.get(id) ?? {
        _id: id,
        day,
        kind: entry.kind,
        target: entry.target,
        state: entry.state,
        count: 0,
      };
      count.count += 1;
      counts.set(id, count);
    }
    await this.store.compact(
      old.map((entry) => entry.key),
      [...counts.values()],
    );
    for (const entry of old) this.#entries.delete(entry.key);
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
