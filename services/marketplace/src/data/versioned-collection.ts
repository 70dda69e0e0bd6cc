import { isDuplicateKey } from "@symbiont/service-kit";
import type { Model } from "mongoose";

// What the partner, offer and order collections share: documents keyed by the entity's id,
// with its timestamps as dates, inserted once and replaced only at the version that was
// read (optimistic concurrency: of two writers of one version, one wins, the other re-reads).

interface Entity {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type StoredDoc<E extends Entity> = Omit<E, "id" | "createdAt" | "updatedAt"> & {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
};

export function toStoredDoc<E extends Entity>(entity: E): StoredDoc<E> {
  const { id, createdAt, updatedAt, ...rest } = entity;
  return { ...rest, _id: id, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

export function fromStoredDoc<E extends Entity>(doc: StoredDoc<E>): E {
  const { _id, createdAt, updatedAt, ...rest } = doc;
  return {
    ...rest,
    id: _id,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  } as unknown as E;
}

export function versionedCollection<E extends Entity>(model: Model<StoredDoc<E>>) {
  return {
    ready: () => model.init(),
    /** False when the id is taken already. */
    async insert(entity: E): Promise<boolean> {
      try {
        await model.create(toStoredDoc(entity));
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async find(id: string): Promise<E | undefined> {
      const doc = await model.findById(id).lean<StoredDoc<E>>();
      return doc ? fromStoredDoc<E>(doc) : undefined;
    },
    /** Replaces the entity only if it is still at `expectedVersion`. */
    async replaceIfVersion(entity: E, expectedVersion: number): Promise<boolean> {
      const result = await model.replaceOne(
        { _id: entity.id, version: expectedVersion },
        toStoredDoc(entity),
      );
      return result.modifiedCount === 1;
    },
  };
}
