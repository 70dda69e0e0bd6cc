import type { AppendResult } from "../data/ledger-store.js";
import type { LedgerRecord } from "../data/ledger-record-model.js";
import type { CompactedCount, RecordStore } from "../domain/ledger.js";

/**
 * A ledger store kept in an array, for the domain's unit tests (the store's durability is
 * proven by the integration tests with FerretDB). `failing` makes every call throw, as a
 * database that is down does.
 */
export class ArrayRecordStore implements RecordStore {
  records: LedgerRecord[] = [];
  readonly compacted: CompactedCount[] = [];
  failing = false;
  /** Calls refused while failing. */
  refused = 0;

  #check(): void {
    if (!this.failing) return;
    this.refused += 1;
    throw new Error("connection refused: the ledger database is down");
  }

  async appendAll(records: readonly LedgerRecord[]): Promise<AppendResult[]> {
    this.#check();
    return records.map((record) => {
      if (this.records.some((existing) => existing._id === record._id)) return "duplicate";
      this.records.push(record);
      return "written";
    });
  }

  async readAll(): Promise<LedgerRecord[]> {
    this.#check();
    return [...this.records];
  }

  async readKeys(keys: readonly string[]): Promise<LedgerRecord[]> {
    this.#check();
    return this.records.filter((record) => keys.includes(record.key));
  }

  async compact(keys: readonly string[], counts: readonly CompactedCount[]): Promise<void> {
    this.#check();
    for (const count of counts)
      if (!this.compacted.some((existing) => existing._id === count._id))
        this.compacted.push({ ...count });
    const gone = new Set(keys);
    this.records = this.records.filter((record) => !gone.has(record.key));
  }

  async readCompacted(): Promise<CompactedCount[]> {
    this.#check();
    return [...this.compacted];
  }
}
