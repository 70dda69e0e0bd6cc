import type { Model, mongo } from "mongoose";
import { checkpointPieces } from "./checkpoint-pieces.js";
import { GroupCommit } from "./group-commit.js";
import type { CheckpointEntry, CompactedCount, LedgerCheckpoint } from "../domain/ledger.js";
import type { LedgerRecord } from "./ledger-record-model.js";
import { segmentPairFilter, type RecordStore } from "../domain/ledger.js";

// Durable, append-only storage of ledger records: batched inserts (group commit) with
// journaled write concern; a record whose `_id` already exists is reported as a duplicate.

export type AppendResult = "written" | "duplicate";

/** Where checkpoints are kept: the head, and the pieces with the open entries. */
export const checkpointCollections = {
  head: "ledger_checkpoint_head",
  pieces: "ledger_checkpoints",
} as const;

interface CheckpointDocument {
  _id: string;
  generation: number;
  /** The head: the pieces holding the open entries, in order. */
  pieceIds?: string[];
  /** A head written before pieces had content ids: its pieces are `<generation>:<n>`. */
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
  errmsg?: string;
}

/** The write errors of an insert that met only `_id`s already there; anything else is thrown. */
function duplicatesOnly(error: unknown): WriteError[] {
  const writeErrors = (error as { writeErrors?: WriteError[] | WriteError }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length === 0 || list.some((writeError) => writeError.code !== 11000)) throw error;
  return list;
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
   * The checkpoint: a head (everything but the open entries, and the ids of the pieces that
   * hold them, in a collection of its own) and the pieces (`checkpoint-pieces.ts`). A new
   * checkpoint writes the pieces the last one does not have, then the head that names them,
   * then deletes the pieces it no longer names. FerretDB v1 reads the whole collection for any
   * filter, so the head is kept apart from the pieces' megabytes and remembered once written.
   * A checkpoint written before pieces had content ids (its head among its pieces, naming them
   * by number) is read the same; the next checkpoint replaces it.
   */
  async readCheckpoint(): Promise<LedgerCheckpoint | undefined> {
    const pieces = this.model.db.collection<CheckpointDocument>(checkpointCollections.pieces);
    const head =
      (await this.model.db
        .collection<CheckpointDocument>(checkpointCollections.head)
        .findOne({ _id: "head" })) ?? (await pieces.findOne({ _id: "head" }));
    if (!head) return undefined;
    const ids =
      head.pieceIds ??
      Array.from({ length: head.pieces ?? 0 }, (_, piece) => `${head.generation}:${piece}`);
    // One query for all pieces, not one each (each would read the whole collection).
    const found = new Map<string, CheckpointDocument>();
    if (ids.length > 0)
      for (const piece of await pieces.find({ _id: { $in: ids } }).toArray())
        found.set(piece._id, piece);
    const open: CheckpointEntry[] = [];
    for (const id of ids) {
      const piece = found.get(id);
      if (!piece) throw new Error(`ledger checkpoint ${head.generation}: piece ${id} missing`);
      open.push(...(JSON.parse(piece.open ?? "[]") as CheckpointEntry[]));
    }
    const rest = JSON.parse(head.checkpoint ?? "{}") as Omit<LedgerCheckpoint, "open">;
    return { ...rest, open };
  }

  async writeCheckpoint(checkpoint: LedgerCheckpoint): Promise<void> {
    const pieceStore = this.model.db.collection<CheckpointDocument>(checkpointCollections.pieces);
    const heads = this.model.db.collection<CheckpointDocument>(checkpointCollections.head);
    const durable = { writeConcern: { w: 1, j: true } } as const;
    // Unknown after a start or a failed write: then every piece the new head does not name
    // goes, also those of a write that never reached its head.
    const known = this.#head;
    this.#head = undefined;
    const previous = known ?? (await heads.findOne({ _id: "head" }));
    const generation = (previous?.generation ?? 0) + 1;
    const pieces = checkpointPieces(checkpoint.open);
    const kept = new Set(previous?.pieceIds ?? []);
    const fresh: CheckpointDocument[] = pieces
      .filter((piece) => !kept.has(piece.id))
      .map((piece) => ({ _id: piece.id, generation, open: JSON.stringify(piece.entries) }));
    // A piece already there (written by a checkpoint whose head never landed) has the same
    // content: its id says so.
    if (fresh.length > 0) await this.#insertAbsent(pieceStore, fresh);
    const { open: _open, ...rest } = checkpoint;
    const pieceIds = pieces.map((piece) => piece.id);
    const head = { _id: "head", generation, pieceIds, checkpoint: JSON.stringify(rest) };
    await heads.replaceOne({ _id: "head" }, head, { ...durable, upsert: true });
    // Pieces no head names are deleted a good number at a time: each delete reads the whole
    // collection, and a stale piece costs nothing but its room until then.
    const named = new Set(pieceIds);
    for (const id of kept) if (!named.has(id)) this.#stale.add(id);
    if (!known) {
      await pieceStore.deleteMany({ _id: { $nin: pieceIds } }, durable);
      this.#stale.clear();
    } else if (this.#stale.size >= Math.max(8, pieceIds.length / 4)) {
      await pieceStore.deleteMany({ _id: { $in: [...this.#stale] } }, durable);
      this.#stale.clear();
    }
    this.#head = head;
    this.lastCheckpointWrite = {
      bytes:
        fresh.reduce((sum, piece) => sum + (piece.open?.length ?? 0), 0) + head.checkpoint.length,
      pieces: fresh.length,
      kept: pieces.length - fresh.length,
    };
  }

  /** The head this store last wrote (undefined until one is written, and after a failure). */
  #head: CheckpointDocument | undefined;
  /** Pieces the last heads named and the current one does not, not yet deleted. */
  readonly #stale = new Set<string>();

  /** What the last checkpoint wrote: its new pieces' and head's text, and the pieces it kept. */
  lastCheckpointWrite: { bytes: number; pieces: number; kept: number } | undefined;

  async #insertAbsent(
    collection: mongo.Collection<CheckpointDocument>,
    documents: CheckpointDocument[],
  ): Promise<void> {
    try {
      await collection.insertMany(documents, {
        ordered: false,
        writeConcern: { w: 1, j: true },
      });
    } catch (error) {
      duplicatesOnly(error);
    }
  }

  /** Counts written before are duplicates, skipped. */
  async writeCompacted(counts: readonly CompactedCount[]): Promise<void> {
    const compacted = this.model.db.collection<CompactedCount>("ledger_compacted");
    try {
      await compacted.insertMany([...counts], { ordered: false, writeConcern: { w: 1, j: true } });
    } catch (error) {
      duplicatesOnly(error);
    }
  }

  async readCompacted(): Promise<CompactedCount[]> {
    return this.model.db
      .collection<CompactedCount>("ledger_compacted")
      .find({})
      .toArray() as Promise<CompactedCount[]>;
  }

  /**
   * One `insert` command for the batch: the driver's insertMany runs the same command through
   * its bulk-write machinery, which cost as much CPU as the write itself on the hot path.
   */
  async #insert(batch: LedgerRecord[]): Promise<AppendResult[]> {
    const results: AppendResult[] = batch.map(() => "written");
    const answer = (await this.model.db.db!.command({
      insert: this.model.collection.collectionName,
      documents: batch,
      ordered: false,
      writeConcern: { w: 1, j: true },
    })) as { n?: number; writeErrors?: WriteError[]; writeConcernError?: { errmsg?: string } };
    if (answer.writeConcernError)
      throw new Error(
        `ledger write not durable: ${answer.writeConcernError.errmsg ?? "write concern failed"}`,
      );
    for (const writeError of answer.writeErrors ?? []) {
      if (writeError.code !== 11000)
        throw new Error(`ledger write failed: ${writeError.errmsg ?? `code ${writeError.code}`}`);
      results[writeError.index] = "duplicate";
    }
    return results;
  }
}
