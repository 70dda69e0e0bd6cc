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
// entries still open (pending or dead-lettered). A delivered entry leaves memory once its
// record is durable and is counted per day; its records stay in the database (a broker's
// redelivery is still recognised there) until compaction.
//
// Records are written in numbered segments. A checkpoint (the open entries without their
// payloads, the per-day counts) is written when a segment closes: on a new UTC day, every
// `checkpointEvery` records, and on request. A gateway starting up reads the last checkpoint,
// the records of at most two segments written after it and the payloads of the open entries:
// the delivered history is never read back, however long it is. At most one segment is
// opened without a durable checkpoint, so two segments always suffice.
//
// The gateway is the ledger's only writer. Every write resolves only once it is durable, so a
// handler that awaits it can acknowledge to Dapr (outbox).

export interface RecordStore {
  /** Resolves once durable; with `lingerMs` the write may wait that long for company. */
  appendAll(records: readonly LedgerRecord[], lingerMs?: number): Promise<AppendResult[]>;
  /** One record by `_id`, if there is one. */
  readId(id: string): Promise<LedgerRecord | undefined>;
  readSegment(segment: number): Promise<LedgerRecord[]>;
  /** The records of segments `first` and `first + 1`, in one query (see `segmentPair`). */
  readSegmentPair(first: number): Promise<LedgerRecord[]>;
  /** Every record, as a stream (the audit, and a ledger written before checkpoints existed). */
  streamAll(): AsyncIterable<LedgerRecord>;
  /** Records matching every given field (equality), at most `limit`. */
  findRecords(
    filter: Partial<Pick<LedgerRecord, "messageId" | "kind" | "target" | "state">>,
    limit: number,
  ): Promise<LedgerRecord[]>;
  readCheckpoint(): Promise<LedgerCheckpoint | undefined>;
  writeCheckpoint(checkpoint: LedgerCheckpoint): Promise<void>;
  /** Deletes every record of a segment; returns how many. */
  dropSegment(segment: number): Promise<number>;
  /** Writes the counts, each once (a count's `_id` is its day, kind, target and state). */
  writeCompacted(counts: readonly CompactedCount[]): Promise<void>;
  readCompacted(): Promise<CompactedCount[]>;
}

/** Delivered entries of one UTC day, kind and target. */
export interface CompactedCount {
  _id: string;
  day: string;
  kind: string;
  target: string;
  state: LedgerState;
  count: number;
}

/**
 * An open entry as a checkpoint keeps it, payload included: FerretDB v1 answers a lookup by
 * `_id` with a scan of the whole collection (its filter is a JSON containment no index
 * serves), so a start must not look records up one by one.
 */
export type CheckpointEntry = LedgerEntry;

/** Lists hold objects, not pairs: FerretDB v1 stores no nested arrays. */
export interface LedgerCheckpoint {
  /** Records of this segment and later are read at start; earlier ones are reflected here. */
  segment: number;
  at: number;
  lastSeq: number;
  open: CheckpointEntry[];
  /** Entries whose first record's write failed (it may have landed): read back at start. */
  uncertain: string[];
  /** Entries delivered and let go after `segment` opened: their records there are applied. */
  applied: Array<{ key: string; revision: number }>;
  /** Delivered entries per day still kept as records (not yet compacted). */
  delivered: CompactedCount[];
  lastErrors: Array<{ id: string; error: string; at: number }>;
  /** Segments that may still hold records, with the time of their last record. */
  segments: Array<{ segment: number; lastAt: number }>;
  /** Records from `segment` on carry `evenPair`/`oddPair` (older ledgers' do not). */
  paired?: boolean;
}

const dayMs = 86_400_000;
const dayOf = (ms: number) => Math.floor(ms / dayMs);
const dayText = (ms: number) => new Date(dayOf(ms) * dayMs).toISOString().slice(0, 10);

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
 * again (a replayed dead letter dead-lettered once more); `carry`: the same state written
 * again with the payload (compaction). Only these change a terminal entry.
 */
export type LedgerChange = EntryChange & {
  seq?: number;
  replay?: boolean;
  reopen?: boolean;
  carry?: boolean;
  acceptedAt?: number;
  /** The message body again (a reopened entry whose payload was let go once delivered). */
  payload?: string;
};

export interface LedgerEvents {
  accepted: [LedgerEntry];
  changed: [LedgerEntry, LedgerState];
}

export interface LedgerOptions {
  clock?: () => number;
  /** Records per segment before a checkpoint closes it. */
  checkpointEvery?: number;
  /** A checkpoint that failed (the database is down): called with the error; retried later. */
  onCheckpointError?: (error: unknown) => void;
}

export class Ledger extends EventEmitter<LedgerEvents> {
  readonly #entries = new Map<string, LedgerEntry>();
  readonly #changing = new Map<string, Promise<void>>();
  readonly #delivered = new Map<string, CompactedCount>();
  readonly #lastErrors = new Map<string, { error: string; at: number }>();
  /** Segment -> time of its last record. */
  readonly #segments = new Map<number, number>();
  /** Records created and not yet reflected in memory, per segment. */
  readonly #inFlight = new Map<number, number>();
  #inFlightWaiters: Array<() => void> = [];
  #applied = new Map<string, number>();
  /** Writes per key not yet reflected in memory (the audit waits for a key to be quiet). */
  readonly #writing = new Map<string, number>();
  #quietWaiters: Array<() => void> = [];
  /** Keys whose first record's write failed: it may be in the database though not in memory. */
  readonly #uncertain = new Set<string>();
  #lastSeq = 0;
  #segment = 1;
  #durableSegment = 1;
  #segmentDay = -1;
  #segmentRecords = 0;
  #checkpointing: Promise<void> | undefined;
  readonly #clock: () => number;
  readonly #checkpointEvery: number;
  readonly #onCheckpointError: (error: unknown) => void;

  constructor(
    private readonly store: RecordStore,
    options: LedgerOptions | (() => number) = {},
  ) {
    super();
    const resolved = typeof options === "function" ? { clock: options } : options;
    this.#clock = resolved.clock ?? Date.now;
    this.#checkpointEvery = resolved.checkpointEvery ?? 20_000;
    this.#onCheckpointError = resolved.onCheckpointError ?? (() => undefined);
  }

  /** Open entries (pending and dead-lettered) in memory. */
  get size(): number {
    return this.#entries.size;
  }

  get segment(): number {
    return this.#segment;
  }

  /** Records were written since the last checkpoint. */
  get written(): boolean {
    return this.#segmentRecords > 0 || this.#segment !== this.#durableSegment;
  }

  /** An open entry. Delivered entries are not kept in memory: see `find`. */
  get(key: string): LedgerEntry | undefined {
    return this.#entries.get(key);
  }

  /** Any entry: an open one from memory, a delivered one read back from the database. */
  async find(key: string): Promise<LedgerEntry | undefined> {
    return this.#entries.get(key) ?? (await this.#readBack(key));
  }

  /** The open entries. */
  entries(): IterableIterator<LedgerEntry> {
    return this.#entries.values();
  }

  /** Delivered entries of a target still kept as records (not compacted). */
  deliveredCount(kind: EntryKind, target: string): number {
    let sum = 0;
    for (const count of this.#delivered.values())
      if (count.kind === kind && count.target === target) sum += count.count;
    return sum;
  }

  /** Per-day counts of delivered entries still kept as records. */
  deliveredCounts(): CompactedCount[] {
    return [...this.#delivered.values()].map((count) => ({ ...count }));
  }

  lastError(kind: EntryKind, target: string): { error: string; at: number } | undefined {
    return this.#lastErrors.get(`${kind}:${target}`);
  }

  /** Rebuilds the view: the last checkpoint, then the segments written after it. */
  async load(): Promise<void> {
    this.#entries.clear();
    this.#uncertain.clear();
    this.#delivered.clear();
    this.#lastErrors.clear();
    this.#segments.clear();
    const checkpoint = await this.store.readCheckpoint();
    const known = new Map<string, number>();
    let records: LedgerRecord[];
    if (checkpoint) {
      this.#lastSeq = checkpoint.lastSeq;
      for (const entry of checkpoint.open) {
        this.#entries.set(entry.key, { ...entry });
        known.set(entry.key, entry.revision);
      }
      for (const { key, revision } of checkpoint.applied) known.set(key, revision);
      for (const key of checkpoint.uncertain ?? []) this.#uncertain.add(key);
      for (const count of checkpoint.delivered) this.#delivered.set(count._id, { ...count });
      for (const { id, error, at } of checkpoint.lastErrors)
        this.#lastErrors.set(id, { error, at });
      for (const { segment, lastAt } of checkpoint.segments) this.#segments.set(segment, lastAt);
      if (checkpoint.paired) {
        // One query: each is a scan of the whole records table on FerretDB v1.
        records = await this.store.readSegmentPair(checkpoint.segment);
      } else {
        const [first, second] = await Promise.all([
          this.store.readSegment(checkpoint.segment),
          this.store.readSegment(checkpoint.segment + 1),
        ]);
        records = [...first, ...second];
      }
    } else {
      // A ledger written before checkpoints existed (or a new one): read once, in full.
      records = [];
      for await (const record of this.store.streamAll()) records.push(record);
    }
    const fresh = records.filter((record) => record.revision >= (known.get(record.key) ?? 0));
    fresh.sort((a, b) => (a.key === b.key ? a.revision - b.revision : a.key < b.key ? -1 : 1));
    for (const record of fresh) {
      const segment = record.segment ?? 0;
      this.#segments.set(segment, Math.max(this.#segments.get(segment) ?? 0, at(record)));
      const entry = applyRecord(this.#entries.get(record.key), record);
      this.#entries.set(entry.key, entry);
      this.#noteError(entry);
    }
    const touched = new Set(fresh.map((record) => record.key));
    for (const key of touched) {
      const entry = this.#entries.get(key);
      if (entry?.state === "delivered") {
        this.#entries.delete(key);
        this.#count(entry, 1);
      }
    }
    for (const key of [...this.#uncertain]) await this.#resolve(key);
    for (const entry of this.#entries.values()) this.#lastSeq = Math.max(this.#lastSeq, entry.seq);
    const highest = Math.max(0, checkpoint ? checkpoint.segment + 1 : 0, ...this.#segments.keys());
    this.#segment = highest + 1;
    this.#durableSegment = this.#segment - 1;
    this.#segmentDay = dayOf(this.#clock());
    this.#segmentRecords = 0;
    this.#applied = new Map();
    // Everything read is reflected in memory now: a checkpoint says so, and the next start
    // reads only what comes after it.
    await this.#writeCheckpoint();
  }

  #nextSeq(): number {
    this.#lastSeq = Math.max(this.#lastSeq + 1, this.clock() * 1000);
    return this.#lastSeq;
  }

  clock(): number {
    return this.#clock();
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
    const segment = this.#segmentForRecords(fresh.length);
    const records = fresh.map((entry) => this.#toRecord(entry, true, segment));
    for (const entry of fresh) this.#startWrite(entry.key);
    let results: AppendResult[];
    try {
      results = await this.store.appendAll(records);
    } catch (error) {
      for (const entry of fresh) this.#uncertain.add(entry.key);
      this.#landed(segment, records.length);
      for (const entry of fresh) this.#endWrite(entry.key);
      throw error;
    }
    const written = new Set(
      fresh.filter((_, index) => results[index] === "written").map((entry) => entry.key),
    );
    for (const entry of fresh) {
      if (!written.has(entry.key)) continue;
      this.#uncertain.delete(entry.key);
      entry.revision = 1;
      entry.lastSegment = segment;
      if (entry.payload !== undefined) {
        entry.payloadRevision = 0;
        entry.payloadSegment = segment;
      }
      this.#noteError(entry);
      if (entry.state === "delivered") {
        delete entry.payload;
        this.#count(entry, 1);
        this.#applied.set(entry.key, entry.revision);
      } else this.#entries.set(entry.key, entry);
    }
    this.#landed(segment, records.length);
    for (const entry of fresh) this.#endWrite(entry.key);
    // A duplicate the view does not hold is delivered (let go), or was written by an attempt
    // that failed half-way (the handler answered an error, Dapr redelivered): only those are
    // read back (lookups are slow on FerretDB), so an open one is in memory as in the database.
    for (const entry of fresh) {
      if (written.has(entry.key) || this.#entries.has(entry.key)) continue;
      if (this.#uncertain.has(entry.key)) await this.#resolve(entry.key);
    }
    return entries.map((entry) => {
      if (!written.has(entry.key)) return "duplicate";
      this.emit("accepted", entry);
      return entry;
    });
  }

  /**
   * Appends a state change; resolves once durable. Changes of one entry are applied one
   * after the other (each record has the next revision), and a delivered or dead-lettered
   * entry changes again only by a replay. `lingerMs`: the record may wait that long to share a
   * write with others (an outcome nothing waits on).
   */
  change(entry: LedgerEntry, change: LedgerChange, lingerMs = 0): Promise<void> {
    const previous = this.#changing.get(entry.key) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => this.#applyChange(entry, change, lingerMs));
    this.#changing.set(entry.key, run);
    const forget = () => {
      if (this.#changing.get(entry.key) === run) this.#changing.delete(entry.key);
    };
    run.then(forget, forget);
    return run;
  }

  async #applyChange(entry: LedgerEntry, change: LedgerChange, lingerMs: number): Promise<void> {
    for (;;) {
      if (!isPending(entry) && !change.replay && !change.reopen && !change.carry) return;
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
      // The payload travels again with a replay, a reopening or a carry, so the record alone
      // can redeliver it.
      const withPayload =
        (change.replay === true || change.carry === true || change.payload !== undefined) &&
        next.payload !== undefined;
      const segment = this.#segmentForRecords(1);
      const record = this.#toRecord(next, withPayload, segment, change.carry);
      const previousUpdatedAt = entry.updatedAt;
      let written: boolean;
      this.#startWrite(entry.key);
      try {
        const [result] = await this.store.appendAll([record], lingerMs);
        written = result !== "duplicate";
        if (written) {
          this.#settle(entry, previous, previousUpdatedAt, {
            ...next,
            revision: entry.revision + 1,
            lastSegment: segment,
            ...(withPayload ? { payloadRevision: record.revision, payloadSegment: segment } : {}),
          });
        } else {
          // An earlier change of this revision landed although its write reported an error:
          // what it wrote is the entry's history. Take it as stored, then write this change
          // after it (or not at all, if the entry is no longer pending).
          const stored = await this.store.readId(record._id);
          if (!stored)
            throw new Error(`ledger record ${record._id} refused as written before, but not found`);
          this.#settle(entry, previous, previousUpdatedAt, applyRecord(entry, stored));
        }
      } finally {
        this.#landed(segment, 1);
        this.#endWrite(entry.key);
      }
      if (previous !== entry.state) this.emit("changed", entry, previous);
      if (written) return;
    }
  }

  /** The entry as a record now durable says it is: kept open in memory, or let go and counted. */
  #settle(
    entry: LedgerEntry,
    previous: LedgerState,
    previousUpdatedAt: number,
    now: LedgerEntry,
  ): void {
    Object.assign(entry, now);
    this.#noteError(entry);
    if (entry.state === "delivered") {
      delete entry.payload;
      if (previous !== "delivered") this.#count(entry, 1);
      this.#entries.delete(entry.key);
      this.#applied.set(entry.key, entry.revision);
    } else {
      if (previous === "delivered") this.#count({ ...entry, updatedAt: previousUpdatedAt }, -1);
      this.#entries.set(entry.key, entry);
    }
  }

  /**
   * Bounds the ledger: delivered entries last changed on a UTC day wholly older than
   * `retentionMs` are replaced by per-day counts (whole days only, so a count never changes
   * once written), and segments whose records are all older are dropped. The payloads of
   * open entries (pending entries and dead letters: they stay, visible and replayable) are
   * written again first. A message redelivered by a broker after its entry was compacted is
   * not recognised any more.
   */
  async compact(retentionMs: number): Promise<CompactedCount[]> {
    const cutoff = dayOf(this.clock() - retentionMs) * dayMs;
    // Close the current segment, so every record before now lies in a closed one.
    await this.checkpoint();
    const old = [...this.#segments]
      .filter(([segment, lastAt]) => segment < this.#durableSegment && lastAt < cutoff)
      .map(([segment]) => segment);
    const counts = [...this.#delivered.values()].filter(
      (count) => Date.parse(`${count.day}T00:00:00Z`) < cutoff,
    );
    if (counts.length > 0) {
      await this.store.writeCompacted(counts);
      for (const count of counts) this.#delivered.delete(count._id);
    }
    if (old.length > 0) {
      const dropping = new Set(old);
      // An open entry whose last record, or the one carrying its payload, is in a segment
      // about to go is written again (same state, with its payload).
      const carried = [...this.#entries.values()].filter(
        (entry) =>
          (entry.payloadSegment !== undefined && dropping.has(entry.payloadSegment)) ||
          dropping.has(entry.lastSegment ?? 0),
      );
      await Promise.all(
        carried.map((entry) =>
          this.change(entry, {
            state: entry.state,
            attempts: entry.attempts,
            nextAttemptAt: entry.nextAttemptAt,
            carry: true,
          }),
        ),
      );
      // The open entries as they are now must be durable before their old records go.
      await this.checkpoint();
      for (const segment of old) {
        await this.store.dropSegment(segment);
        this.#segments.delete(segment);
      }
      await this.checkpoint();
    } else if (counts.length > 0) await this.checkpoint();
    return counts;
  }

  /**
   * Closes the current segment and writes a checkpoint; resolves once it is durable. Calls
   * while one is written wait for it and then write another.
   */
  async checkpoint(): Promise<void> {
    while (this.#checkpointing) await this.#checkpointing.catch(() => undefined);
    if (this.#segment === this.#durableSegment) this.#openSegment();
    await this.#writeCheckpoint();
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

  /** The segment new records go to; closes the current one on a new day or when full. */
  #segmentForRecords(records: number): number {
    const today = dayOf(this.clock());
    const full = this.#segmentRecords >= this.#checkpointEvery;
    if (
      (today !== this.#segmentDay || full) &&
      this.#segmentRecords > 0 &&
      this.#segment === this.#durableSegment &&
      !this.#checkpointing
    ) {
      this.#openSegment();
      void this.#writeCheckpoint().catch(() => undefined);
    }
    if (this.#segmentRecords === 0) this.#segmentDay = today;
    this.#segmentRecords += records;
    this.#inFlight.set(this.#segment, (this.#inFlight.get(this.#segment) ?? 0) + records);
    return this.#segment;
  }

  #openSegment(): void {
    this.#segment += 1;
    this.#segmentRecords = 0;
    this.#segmentDay = dayOf(this.clock());
    this.#applied = new Map();
  }

  #landed(segment: number, records: number): void {
    const left = (this.#inFlight.get(segment) ?? 0) - records;
    if (left > 0) this.#inFlight.set(segment, left);
    else this.#inFlight.delete(segment);
    for (const wake of this.#inFlightWaiters.splice(0)) wake();
  }

  async #settled(before: number): Promise<void> {
    while ([...this.#inFlight.keys()].some((segment) => segment < before))
      await new Promise<void>((resolve) => this.#inFlightWaiters.push(resolve));
  }

  #writeCheckpoint(): Promise<void> {
    const run = (async () => {
      const segment = this.#segment;
      await this.#settled(segment);
      const snapshot: LedgerCheckpoint = {
        segment,
        at: this.clock(),
        lastSeq: this.#lastSeq,
        open: [...this.#entries.values()].map((entry) => ({ ...entry })),
        uncertain: [...this.#uncertain],
        applied: [...this.#applied].map(([key, revision]) => ({ key, revision })),
        delivered: [...this.#delivered.values()].map((count) => ({ ...count })),
        lastErrors: [...this.#lastErrors].map(([id, { error, at }]) => ({ id, error, at })),
        segments: [...this.#segments].map(([segment, lastAt]) => ({ segment, lastAt })),
        paired: true,
      };
      await this.store.writeCheckpoint(snapshot);
      this.#durableSegment = Math.max(this.#durableSegment, segment);
    })();
    this.#checkpointing = run;
    const done = () => {
      if (this.#checkpointing === run) this.#checkpointing = undefined;
    };
    run.then(done, (error: unknown) => {
      done();
      this.#onCheckpointError(error);
    });
    return run;
  }

  #toRecord(
    entry: LedgerEntry,
    withPayload: boolean,
    segment: number,
    carried?: boolean,
  ): LedgerRecord {
    const record = toRecord(entry, withPayload, segment);
    if (carried) record.carried = true;
    this.#segments.set(segment, Math.max(this.#segments.get(segment) ?? 0, entry.updatedAt));
    return record;
  }

  #count(entry: LedgerEntry, delta: number): void {
    const day = dayText(entry.updatedAt);
    const id = `${day}:${entry.kind}:${entry.target}:delivered`;
    const count = this.#delivered.get(id) ?? {
      _id: id,
      day,
      kind: entry.kind,
      target: entry.target,
      state: "delivered" as const,
      count: 0,
    };
    count.count = Math.max(0, count.count + delta);
    this.#delivered.set(id, count);
  }

  #noteError(entry: LedgerEntry): void {
    if (entry.lastError === undefined) return;
    const id = `${entry.kind}:${entry.target}`;
    const known = this.#lastErrors.get(id);
    if (!known || entry.updatedAt >= known.at)
      this.#lastErrors.set(id, { error: entry.lastError, at: entry.updatedAt });
  }

  /** Reads back an entry whose first write failed; an open one joins memory. */
  async #resolve(key: string): Promise<void> {
    const stored = await this.#readBack(key);
    this.#uncertain.delete(key);
    if (stored && stored.state !== "delivered" && !this.#entries.has(key))
      this.#entries.set(key, stored);
  }

  #startWrite(key: string): void {
    this.#writing.set(key, (this.#writing.get(key) ?? 0) + 1);
  }

  #endWrite(key: string): void {
    const left = (this.#writing.get(key) ?? 0) - 1;
    if (left > 0) this.#writing.set(key, left);
    else this.#writing.delete(key);
    if (left <= 0) for (const wake of this.#quietWaiters.splice(0)) wake();
  }

  /**
   * One entry as memory holds it and as its last record in the database says, read while no
   * write of it is under way (a write lands in the database before memory reflects it, so a
   * read in between would see them disagree). `from`: its oldest record kept. Gives up after
   * `attempts` reads that a write overtook, with the last of them.
   */
  async settledView(
    key: string,
    from = 0,
    attempts = 20,
  ): Promise<{ held: LedgerEntry | undefined; stored: LedgerEntry | undefined }> {
    for (let attempt = 1; ; attempt += 1) {
      while (this.#writing.has(key))
        await new Promise<void>((resolve) => this.#quietWaiters.push(resolve));
      const before = this.#entries.get(key);
      const revision = before?.revision;
      let stored: LedgerEntry | undefined;
      for (let at = from; ; at += 1) {
        const record = await this.store.readId(`${key}@${at}`);
        if (!record) break;
        stored = applyRecord(undefined, record);
      }
      const held = this.#entries.get(key);
      const overtaken = this.#writing.has(key) || held !== before || held?.revision !== revision;
      if (!overtaken || attempt >= attempts) return { held, stored };
    }
  }

  /**
   * One entry's records from the database, by `_id` (its revisions one after the other). An
   * entry whose first record went with a compacted segment is not found: past the retention
   * a message is not recognised any more.
   */
  async #readBack(key: string): Promise<LedgerEntry | undefined> {
    let entry: LedgerEntry | undefined;
    for (let revision = 0; ; revision += 1) {
      const record = await this.store.readId(`${key}@${revision}`);
      if (!record) break;
      entry = applyRecord(entry, record);
    }
    if (entry?.state === "delivered") delete entry.payload;
    return entry;
  }
}

function at(record: LedgerRecord): number {
  return new Date(record.at).getTime();
}

export function toRecord(entry: LedgerEntry, withPayload: boolean, segment = 0): LedgerRecord {
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
    segment,
    ...segmentPair(segment),
  };
}

/**
 * Two numbers that let one equality filter select two consecutive segments: segments `2n`
 * and `2n + 1` share `evenPair: n`, segments `2n - 1` and `2n` share `oddPair: n`.
 */
export function segmentPair(segment: number): { evenPair: number; oddPair: number } {
  return { evenPair: Math.floor(segment / 2), oddPair: Math.floor((segment + 1) / 2) };
}

/** The filter selecting segments `first` and `first + 1` (an equality on one field). */
export function segmentPairFilter(first: number): { evenPair: number } | { oddPair: number } {
  return first % 2 === 0
    ? { evenPair: segmentPair(first).evenPair }
    : { oddPair: segmentPair(first).oddPair };
}

/** One record applied to what is known of its entry (records of a key in revision order). */
export function applyRecord(previous: LedgerEntry | undefined, record: LedgerRecord): LedgerEntry {
  const carriesPayload = record.payload !== undefined;
  return {
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
    payloadRevision: carriesPayload ? record.revision : previous?.payloadRevision,
    payloadSegment: carriesPayload ? (record.segment ?? 0) : previous?.payloadSegment,
    lastSegment: record.segment ?? 0,
    revision: record.revision + 1,
    replays: record.replays,
  };
}

/** Folds records into entries: the highest revision of each key, with the latest payload seen. */
export function foldRecords(records: readonly LedgerRecord[]): Map<string, LedgerEntry> {
  const sorted = [...records].sort((a, b) =>
    a.key === b.key ? a.revision - b.revision : a.key < b.key ? -1 : 1,
  );
  const entries = new Map<string, LedgerEntry>();
  for (const record of sorted)
    entries.set(record.key, applyRecord(entries.get(record.key), record));
  return entries;
}
