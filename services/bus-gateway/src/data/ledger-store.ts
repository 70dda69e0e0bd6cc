import type { Model } from "mongoose";
import { GroupCommit } from "./group-commit.js";
import type { CompactedCount } from "../domain/ledger.js";
import type { LedgerRecord } from "./ledger-record-model.js";

// Durable, append-only storage of ledger records: batched inserts (group commit) with
// journaled write concern; a record whose `_id` already exists is reported as a duplicate.
//
// Open marks: `ledger_open` holds one `{_id: key}` per entry that is not delivered (pending
// or dead-lettered), so a gateway starts by reading those entries only, not the whole
// ledger. A mark is written before the entry's first open record and removed after its
// delivered record, so a crash leaves at most a mark too many (forgotten at start), never
// an open entry without one. Lookups by key use equality filters, which FerretDB hands to
// its database (`key` is indexed); `$in` is not, and would read the whole collection.

/** Marks written by a ledger that kept open marks from its start, or that built them once. */
const openMarksBuilt = "#open-marks-built";
/** Above this many keys, one pass over the collection beats one query per key. */
const keyQueryLimit = 5_000;

export type AppendResult = "written" | "duplicate";

interface WriteError {
  index: number;
  code: number;
}

export class LedgerStore {
  readonly #commit: GroupCommit<LedgerRecord, AppendResult>;

  constructor(
    private readonly model: Model<LedgerRecord>,
    private readonly onFlush: (records: number, seconds: number) => void = () => undefined,
  ) {
    this.#commit = new GroupCommit({
      flush: async (batch) => {
        const started = performance.now();
        const results = await this.#insert(batch);
        this.onFlush(batch.length, (performance.now() - started) / 1000);
        return results;
      },
      maxBatch: 500,
    });
  }

  append(record: LedgerRecord): Promise<AppendResult> {
    return this.#commit.submit(record);
  }

  appendAll(records: readonly LedgerRecord[]): Promise<AppendResult[]> {
    return this.#commit.submitAll(records);
  }

  drained(): Promise<void> {
    return this.#commit.drained();
  }

  /** Indexes the lookups need (idempotent; the first call on a large ledger takes a while). */
  async ensureIndexes(): Promise<void> {
    await this.model.collection.createIndex({ key: 1 }, { name: "key" });
  }

  /** The records of some entries: one equality query per key, or one pass for many keys. */
  async readKeys(keys: readonly string[]): Promise<LedgerRecord[]> {
    if (keys.length > keyQueryLimit) {
      const wanted = new Set(keys);
      const records: LedgerRecord[] = [];
      for await (const record of this.streamAll()) if (wanted.has(record.key)) records.push(record);
      return records;
    }
    const records: LedgerRecord[] = [];
    for (let start = 0; start < keys.length; start += 16) {
      const parts = await Promise.all(
        keys
          .slice(start, start + 16)
          .map((key) => this.model.find({ key }).lean<LedgerRecord[]>().exec()),
      );
      for (const part of parts) records.push(...part);
    }
    return records;
  }

  /**
   * The records of every entry marked open. A ledger written before open marks existed gets
   * them once, from one pass over its records.
   */
  async readOpen(): Promise<LedgerRecord[]> {
    const marks = this.#marks();
    if (!(await marks.findOne({ _id: openMarksBuilt }))) {
      const latest = new Map<string, { revision: number; state: string }>();
      for await (const record of this.streamAll()) {
        const seen = latest.get(record.key);
        if (!seen || seen.revision < record.revision)
          latest.set(record.key, { revision: record.revision, state: record.state });
      }
      const open = [...latest].filter(([, last]) => last.state !== "delivered");
      await this.#mark(open.map(([key]) => key));
      await this.#mark([openMarksBuilt]);
    }
    const keys = (await marks.find({}).toArray())
      .map((mark) => mark._id)
      .filter((id) => id !== openMarksBuilt);
    const records = await this.readKeys(keys);
    // A mark whose first record was never written (the write failed after the mark).
    const found = new Set(records.map((record) => record.key));
    await this.closeKeys(keys.filter((key) => !found.has(key)));
    return records;
  }

  /** Forgets open marks of entries that are delivered (left by a crash, see above). */
  async closeKeys(keys: readonly string[]): Promise<void> {
    // One statement per thousand (the marks are few: FerretDB reads them all to match).
    for (let start = 0; start < keys.length; start += 1_000)
      await this.#marks().deleteMany(
        { _id: { $in: keys.slice(start, start + 1_000) } },
        { writeConcern: { w: 1, j: true } },
      );
  }

  /** Every record, in no particular order, read in batches (memory stays flat). */
  streamAll(): AsyncIterable<LedgerRecord> {
    return this.model.find({}).lean<LedgerRecord>().cursor({ batchSize: 1_000 });
  }

  /** The records in one state, read in batches. */
  streamState(state: LedgerRecord["state"]): AsyncIterable<LedgerRecord> {
    return this.model
      .find({ state })
      .select("-payload")
      .lean<LedgerRecord>()
      .cursor({ batchSize: 1_000 });
  }

  /** The records of one kind and/or target, without payloads, read in batches. */
  streamMatching(filter: { kind?: string; target?: string }): AsyncIterable<LedgerRecord> {
    const query: Record<string, string> = {};
    if (filter.kind !== undefined) query.kind = filter.kind;
    if (filter.target !== undefined) query.target = filter.target;
    return this.model
      .find(query)
      .select("-payload")
      .lean<LedgerRecord>()
      .cursor({ batchSize: 1_000 });
  }

  /** Counts first (a count written before is a duplicate, skipped), then the records go. */
  async compact(keys: readonly string[], counts: readonly CompactedCount[]): Promise<void> {
    const compacted = this.model.db.collection<CompactedCount>("ledger_compacted");
    try {
      await compacted.insertMany([...counts], { ordered: false, writeConcern: { w: 1, j: true } });
    } catch (error) {
      if (!onlyDuplicates(error)) throw error;
    }
    for (let start = 0; start < keys.length; start += 1_000)
      await this.model.collection.bulkWrite(
        keys.slice(start, start + 1_000).map((key) => ({ deleteMany: { filter: { key } } })),
        { ordered: false, writeConcern: { w: 1, j: true } },
      );
  }

  async readCompacted(): Promise<CompactedCount[]> {
    return this.model.db
      .collection<CompactedCount>("ledger_compacted")
      .find({})
      .toArray() as Promise<CompactedCount[]>;
  }

  #marks() {
    return this.model.db.collection<{ _id: string }>("ledger_open");
  }

  async #mark(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 1_000) {
      try {
        await this.#marks().insertMany(
          keys.slice(start, start + 1_000).map((key) => ({ _id: key })),
          { ordered: false, writeConcern: { w: 1, j: true } },
        );
      } catch (error) {
        if (!onlyDuplicates(error)) throw error;
      }
    }
  }

  async #insert(batch: LedgerRecord[]): Promise<AppendResult[]> {
    const last = new Map<string, LedgerRecord>();
    for (const record of batch) last.set(record.key, record);
    // Marked: an entry's first record when it is open, and a record that opens a delivered
    // entry again (it carries the payload again). A later open record has its mark already.
    await this.#mark([
      ...new Set(
        batch
          .filter((r) => r.state !== "delivered" && (r.revision === 0 || r.payload !== undefined))
          .map((r) => r.key),
      ),
    ]);
    const results = await this.#insertRecords(batch);
    // An entry delivered by its first record (a crossing, an inbound message) had no mark.
    const closed = batch
      .filter((record, index) => results[index] === "written" && last.get(record.key) === record)
      .filter((record) => record.state === "delivered" && record.revision > 0)
      .map((record) => record.key);
    if (closed.length > 0) await this.closeKeys(closed);
    return results;
  }

  async #insertRecords(batch: LedgerRecord[]): Promise<AppendResult[]> {
    const results: AppendResult[] = batch.map(() => "written");
    try {
      await this.model.collection.insertMany(batch as never[], {
        ordered: false,
        writeConcern: { w: 1, j: true },
      });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: WriteError[] | WriteError }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (list.length === 0 || list.some((writeError) => writeError.code !== 11000)) throw error;
      for (const writeError of list) results[writeError.index] = "duplicate";
    }
    return results;
  }
}

function onlyDuplicates(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: WriteError[] | WriteError }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((writeError) => writeError.code === 11000);
}
