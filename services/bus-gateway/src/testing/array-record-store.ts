import type { AppendResult } from "../data/ledger-store.js";
import type { LedgerRecord } from "../data/ledger-record-model.js";
import { foldRecords, type CompactedCount, type RecordStore } from "../domain/ledger.js";
import type { LedgerState } from "../domain/ledger-entry.js";

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
  /** Passes over every record (the audit). */
  scans = 0;

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

  /** Records of the entries whose last record is not delivered (the database keeps marks). */
  async readOpen(): Promise<LedgerRecord[]> {
    this.#check();
    const open = new Set(
      [...foldRecords(this.records).values()]
        .filter((entry) => entry.state !== "delivered")
        .map((entry) => entry.key),
    );
    return this.records.filter((record) => open.has(record.key));
  }

  async closeKeys(): Promise<void> {
    this.#check();
  }

  async *streamAll(): AsyncIterable<LedgerRecord> {
    this.#check();
    this.scans += 1;
    yield* [...this.records];
  }

  async *streamState(state: LedgerState): AsyncIterable<LedgerRecord> {
    this.#check();
    yield* this.records.filter((record) => record.state === state);
  }

  async *streamMatching(filter: { kind?: string; target?: string }): AsyncIterable<LedgerRecord> {
    this.#check();
    yield* this.records.filter(
      (record) =>
        (filter.kind === undefined || record.kind === filter.kind) &&
        (filter.target === undefined || record.target === filter.target),
    );
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
