import type { RecordKind, RecordStore, StoredRecord } from "../cabinet-data/record-store.js";

/** A stored record with its owners, as the in-memory store of unit tests keeps it. */
export type OwnedRecord = StoredRecord & { owners: string[] };

/**
 * The cabinet's record store in memory, over fixed rows (the mongoose store runs in the
 * browser test): what the pages and views read, without a database.
 */
export function memoryRecords(
  rows: Partial<Record<RecordKind, OwnedRecord[]>>,
  receivedAt: Partial<Record<RecordKind, Date>> = {},
): RecordStore {
  const of = (kind: RecordKind) => rows[kind] ?? [];
  const bare = ({ owners: _owners, ...record }: OwnedRecord): StoredRecord => record;
  return {
    apply: async () => undefined,
    find: async (kind, id) => {
      const row = of(kind).find((r) => r.id === id);
      return row ? bare(row) : undefined;
    },
    listFor: async (kind, owners) =>
      of(kind)
        .filter((r) => r.owners.some((o) => owners.includes(o)))
        .map(bare),
    listAll: async (kind) => of(kind).map(bare),
    lastReceivedAt: async (kind) => receivedAt[kind],
  };
}
