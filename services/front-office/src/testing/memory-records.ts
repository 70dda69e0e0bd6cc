import type { RecordKind, RecordStore, StoredRecord } from "../cabinet-data/record-store.js";

/** A stored record with its owners, as the in-memory store of unit tests keeps it. */
export type OwnedRecord = StoredRecord & { owners: string[] };

/**
 * The cabinet's record store in memory, over starting rows (the mongoose store runs in the
 * browser test): what the pages and views read, and what a route writes, as the real store
 * applies it (facts set by every update, state only by a newer version), without a database.
 */
export function memoryRecords(
  rows: Partial<Record<RecordKind, OwnedRecord[]>>,
  receivedAt: Partial<Record<RecordKind, Date>> = {},
): RecordStore {
  const kept = new Map<RecordKind, Array<OwnedRecord & { version: number }>>();
  for (const [kind, list] of Object.entries(rows) as Array<[RecordKind, OwnedRecord[]]>)
    kept.set(
      kind,
      list.map((row) => ({ ...row, version: 0 })),
    );
  const received = { ...receivedAt };
  const of = (kind: RecordKind) => kept.get(kind) ?? [];
  const bare = ({ id, facts, state }: OwnedRecord): StoredRecord => ({ id, facts, state });
  return {
    apply: async (update, at) => {
      if (!kept.has(update.kind)) kept.set(update.kind, []);
      const list = kept.get(update.kind)!;
      let row = list.find((r) => r.id === update.id);
      if (!row) {
        row = { id: update.id, owners: [], facts: {}, state: {}, version: 0 };
        list.push(row);
      }
      row.owners = update.owners;
      row.facts = { ...row.facts, ...update.facts };
      const version = update.version ?? 1;
      if (update.state && row.version < version) {
        row.state = { ...row.state, ...update.state };
        row.version = version;
      }
      received[update.kind] = at;
    },
    find: async (kind, id) => {
      const row = of(kind).find((r) => r.id === id);
      return row ? bare(row) : undefined;
    },
    listFor: async (kind, owners) =>
      of(kind)
        .filter((r) => r.owners.some((o) => owners.includes(o)))
        .map(bare),
    listAll: async (kind) => of(kind).map(bare),
    lastReceivedAt: async (kind) => received[kind],
    remove: async (kind, id, owners) => {
      const list = of(kind);
      const at = list.findIndex((r) => r.id === id && r.owners.some((o) => owners.includes(o)));
      if (at >= 0) list.splice(at, 1);
    },
  };
}
