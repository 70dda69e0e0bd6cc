import type { AppendResult } from "../data/ledger-store.js";
import type { LedgerRecord } from "../data/ledger-record-model.js";
import {
  segmentPairFilter,
  type CompactedCount,
  type LedgerCheckpoint,
  type RecordStore,
} from "../domain/ledger.js";

/**
 * A ledger store kept in an array, for the domain's unit tests (the store's durability is
 * proven by the integration tests with FerretDB). `failing` makes every call throw, as a
 * database that is down does. `reads` counts the records handed out, so a test sees what a
 * start-up read.
 */
export class ArrayRecordStore implements RecordStore {
  records: LedgerRecord[] = [];
  readonly compacted: CompactedCount[] = [];
  checkpoint: LedgerCheckpoint | undefined;
  failing = false;
  /** Calls refused while failing. */
  refused = 0;
  /** Records read back (by id, by segment, in full). */
  reads = 0;
  /** Queries for records by segment. */
  queries = 0;

  #check(): void {
    if (!this.failing) return;
    this.refused += 1;
    throw new Error("connection refused: the ledger database is down");
  }

  #read(records: LedgerRecord[]): LedgerRecord[] {
    this.reads += records.length;
    return records.map((record) => ({ ...record }));
  }

  async appendAll(records: readonly LedgerRecord[]): Promise<AppendResult[]> {
    this.#check();
    return records.map((record) => {
      if (this.records.some((existing) => existing._id === record._id)) return "duplicate";
      this.records.push({ ...record });
      return "written";
    });
  }

  async readId(id: string): Promise<LedgerRecord | undefined> {
    this.#check();
    return this.#read(this.records.filter((record) => record._id === id))[0];
  }

  async readSegment(segment: number): Promise<LedgerRecord[]> {
    this.#check();
    this.queries += 1;
    return this.#read(this.records.filter((record) => (record.segment ?? 0) === segment));
  }

  async readSegmentPair(first: number): Promise<LedgerRecord[]> {
    this.#check();
    this.queries += 1;
    const [field, value] = Object.entries(segmentPairFilter(first))[0] as [
      "evenPair" | "oddPair",
      number,
    ];
    return this.#read(this.records.filter((record) => record[field] === value));
  }

  async *streamAll(): AsyncIterable<LedgerRecord> {
    this.#check();
    for (const record of this.#read([...this.records])) yield record;
  }

  async findRecords(
    filter: Partial<Pick<LedgerRecord, "messageId" | "kind" | "target" | "state">>,
    limit: number,
  ): Promise<LedgerRecord[]> {
    this.#check();
    const fields = Object.entries(filter).filter(([, value]) => value !== undefined);
    return this.#read(
      this.records
        .filter((record) =>
          fields.every(([field, value]) => record[field as keyof LedgerRecord] === value),
        )
        .slice(0, limit),
    );
  }

  async readCheckpoint(): Promise<LedgerCheckpoint | undefined> {
    this.#check();
    return this.checkpoint && structuredClone(this.checkpoint);
  }

  async writeCheckpoint(checkpoint: LedgerCheckpoint): Promise<void> {
    this.#check();
    this.checkpoint = structuredClone(checkpoint);
  }

  async dropSegment(segment: number): Promise<number> {
    this.#check();
    const before = this.records.length;
    this.records = this.records.filter((record) => (record.segment ?? 0) !== segment);
    return before - this.records.length;
  }

  async writeCompacted(counts: readonly CompactedCount[]): Promise<void> {
    this.#check();
    for (const count of counts)
      if (!this.compacted.some((existing) => existing._id === count._id))
        this.compacted.push({ ...count });
  }

  async readCompacted(): Promise<CompactedCount[]> {
    this.#check();
    return [...this.compacted];
  }
}
