import type { Model } from "mongoose";
import { GroupCommit } from "./group-commit.js";
import type { CheckpointEntry, CompactedCount, LedgerCheckpoint } from "../domain/ledger.js";
import type { LedgerRecord } from "./ledger-record-model.js";
import { segmentPairFilter, type RecordStore } from "../domain/ledger.js";

// Durable, append-only storage of ledger records: batched inserts (group commit) with
// journaled write concern; a record whose `_id` already exists is reported as a duplicate.

export type AppendResult = "written" | "duplicate";

interface CheckpointDocument {
  _id: string;
  generation: number;
  pieces?: number;
  /** JSON text: FerretDB v1 converts a document field by field, slowly for thousands of them. */
  open?: string;
  checkpoint?: string;
}

/** Records written before segments existed count as segment 0. */
function segmentFilter(segment: number): object {
  return segment === 0 ? { $or: [{ segment: 0 }, { segment: { $exists: false } }] } : { segment };
}

interface WriteError {
  index: number;
  code: number;
}

export class LedgerStore implements RecordStore {
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

  appendAll(records: readonly LedgerRecord[], lingerMs = 0): Promise<AppendResult[]> {
    return this.#commit.submitAll(records, lingerMs);
  }

  drained(): Promise<void> {
    return this.#commit.drained();
  }

  /** One record by `_id` (a scan of the collection on FerretDB v1: kept off hot paths). */
  async readId(id: string): Promise<LedgerRecord | undefined> {
    return ((await this.model.collection.findOne({ _id: id } as never)) ?? undefined) as
      LedgerRecord | undefined;
  }

  /** A segment's records (an equality filter: the database selects them, not the gateway). */
  async readSegment(segment: number): Promise<LedgerRecord[]> {
    return (await this.model.collection
      .find(segmentFilter(segment) as never, { batchSize: 5_000 })
      .toArray()) as unknown as LedgerRecord[];
  }

  async readSegmentPair(first: number): Promise<LedgerRecord[]> {
    return (await this.model.collection
      .find(segmentPairFilter(first) as never, { batchSize: 5_000 })
      .toArray()) as unknown as LedgerRecord[];
  }

  async *streamAll(): AsyncIterable<LedgerRecord> {
    const cursor = this.model.collection.find({}, { batchSize: 2_000 });
    try {
      for await (const record of cursor) yield record as unknown as LedgerRecord;
    } finally {
      await cursor.close();
    }
  }

  async findRecords(
    filter: Partial<Pick<LedgerRecord, "messageId" | "kind" | "target" | "state">>,
    limit: number,
  ): Promise<LedgerRecord[]> {
    const query = Object.fromEntries(
      Object.entries(filter).filter(([, value]) => value !== undefined),
    );
    return (await this.model.collection
      .find(query as never, { limit })
      .toArray()) as unknown as LedgerRecord[];
  }

  async dropSegment(segment: number): Promise<number> {
    const result = await this.model.collection.deleteMany(segmentFilter(segment) as never, {
      writeConcern: { w: 1, j: true },
    });
    return result.deletedCount;
  }

  /**
   * The checkpoint in pieces (the open entries with their payloads): the pieces of a new
   * generation first, then the head that names them, then the old pieces go.
   */
  async readCheckpoint(): Promise<LedgerCheckpoint | undefined> {
    const collection = this.model.db.collection<CheckpointDocument>("ledger_checkpoints");
    const head = await collection.findOne({ _id: "head" });
    if (!head) return undefined;
    const open: CheckpointEntry[] = [];
    for (let piece = 0; piece < (head.pieces ?? 0); piece += 1) {
      const found = await collection.findOne({ _id: `${head.generation}:${piece}` });
      if (!found) throw new Error(`ledger checkpoint ${head.generation}: piece ${piece} missing`);
      open.push(...(JSON.parse(found.open ?? "[]") as CheckpointEntry[]));
    }
    const rest = JSON.parse(head.checkpoint ?? "{}") as Omit<LedgerCheckpoint, "open">;
    return { ...rest, open };
  }

  async writeCheckpoint(checkpoint: LedgerCheckpoint): Promise<void> {
    const collection = this.model.db.collection<CheckpointDocument>("ledger_checkpoints");
    const durable = { writeConcern: { w: 1, j: true } } as const;
    const previous = await collection.findOne({ _id: "head" });
    const generation = (previous?.generation ?? 0) + 1;
    // Pieces of at most 2,000 entries or about 4 MB of payloads (a document stays below 16 MB).
    const pieces: CheckpointDocument[] = [];
    let piece: CheckpointEntry[] = [];
    let bytes = 0;
    const close = () => {
      if (piece.length === 0) return;
      pieces.push({
        _id: `${generation}:${pieces.length}`,
        generation,
        open: JSON.stringify(piece),
      });
      piece = [];
      bytes = 0;
    };
    for (const entry of checkpoint.open) {
      const size = 512 + (entry.payload?.length ?? 0);
      if (piece.length === 2_000 || (piece.length > 0 && bytes + size > 4_000_000)) close();
      piece.push(entry);
      bytes += size;
    }
    close();
    if (pieces.length > 0) {
      await collection.deleteMany({ generation }, durable);
      await collection.insertMany(pieces, durable);
    }
    const { open: _open, ...rest } = checkpoint;
    await collection.replaceOne(
      { _id: "head" },
      { generation, pieces: pieces.length, checkpoint: JSON.stringify(rest) },
      { ...durable, upsert: true },
    );
    if (previous) await collection.deleteMany({ generation: previous.generation }, durable);
  }

  /** Counts written before are duplicates, skipped. */
  async writeCompacted(counts: readonly CompactedCount[]): Promise<void> {
    const compacted = this.model.db.collection<CompactedCount>("ledger_compacted");
    try {
      await compacted.insertMany([...counts], { ordered: false, writeConcern: { w: 1, j: true } });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: WriteError[] | WriteError }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (list.length === 0 || list.some((writeError) => writeError.code !== 11000)) throw error;
    }
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
