import type { Model } from "mongoose";
import { GroupCommit } from "./group-commit.js";
import type { CompactedCount } from "../domain/ledger.js";
import type { LedgerRecord } from "./ledger-record-model.js";

// Durable, append-only storage of ledger records: batched inserts (group commit) with
// journaled write concern; a record whose `_id` already exists is reported as a duplicate.

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

  /** The records of some entries (rare: after a write that failed half-way). */
  async readKeys(keys: readonly string[]): Promise<LedgerRecord[]> {
    return this.model
      .find({ key: { $in: [...keys] } })
      .lean<LedgerRecord[]>()
      .exec();
  }

  /** Every record, in no particular order (the caller folds them by key and revision). */
  async readAll(): Promise<LedgerRecord[]> {
    return this.model.find({}).lean<LedgerRecord[]>().exec();
  }

  /** Counts first (a count written before is a duplicate, skipped), then the records go. */
  async compact(keys: readonly string[], counts: readonly CompactedCount[]): Promise<void> {
    const compacted = this.model.db.collection<CompactedCount>("ledger_compacted");
    try {
      await compacted.insertMany([...counts], { ordered: false, writeConcern: { w: 1, j: true } });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: WriteError[] | WriteError }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (list.length === 0 || list.some((writeError) => writeError.code !== 11000)) throw error;
    }
    for (let start = 0; start < keys.length; start += 1_000)
      await this.model.collection.deleteMany(
        { key: { $in: keys.slice(start, start + 1_000) } },
        { writeConcern: { w: 1, j: true } },
      );
  }

  async readCompacted(): Promise<CompactedCount[]> {
    return this.model.db
      .collection<CompactedCount>("ledger_compacted")
      .find({})
      .toArray() as Promise<CompactedCount[]>;
  }

  async #insert(batch: LedgerRecord[]): Promise<AppendResult[]> {
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
