import { Schema, type Connection } from "mongoose";
import { isDuplicateKey } from "@symbiont/service-kit";
import type { Grant, Sandbox } from "../domain/sandbox.js";

interface SandboxDoc extends Omit<Sandbox, "id" | "createdAt"> {
  _id: string;
  createdAt: Date;
  /** Grant keys that hold read: the index behind "which sandboxes may I read". */
  readers: string[];
}

const sandboxSchema = new Schema<SandboxDoc>(
  {
    _id: String,
    kind: { type: String, required: true },
    title: { type: String, required: true },
    links: [{ _id: false, kind: String, id: String }],
    grants: [{ _id: false, principal: String, rights: [String] }],
    grantsVersion: { type: Number, required: true },
    createdAt: Date,
    createdBy: { _id: false, kind: String, id: String, partner: String },
    readers: { type: [String], index: true },
  },
  { versionKey: false, collection: "sandboxes" },
);

const readersOf = (grants: Grant[]) =>
  grants.filter((g) => g.rights.includes("read")).map((g) => g.principal);

function toSandbox(doc: SandboxDoc): Sandbox {
  const { _id, createdAt, readers: _readers, ...rest } = doc;
  return { ...rest, id: _id, createdAt: createdAt.toISOString() };
}

export type SandboxStore = ReturnType<typeof createSandboxStore>;

export function createSandboxStore(connection: Connection) {
  const sandboxes = connection.model<SandboxDoc>("Sandbox", sandboxSchema);
  return {
    ready: () => sandboxes.init(),
    /** Inserts a sandbox; false when the id is taken. */
    async insert(sandbox: Sandbox): Promise<boolean> {
      const { id, createdAt, ...rest } = sandbox;
      try {
        await sandboxes.create({
          ...rest,
          _id: id,
          createdAt: new Date(createdAt),
          readers: readersOf(sandbox.grants),
        });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async find(id: string): Promise<Sandbox | undefined> {
      const doc = await sandboxes.findById(id).lean<SandboxDoc>();
      return doc ? toSandbox(doc) : undefined;
    },
    /** Replaces the grants only if they are still at `expectedVersion`. */
    async replaceGrants(id: string, grants: Grant[], expectedVersion: number): Promise<boolean> {
      const result = await sandboxes.updateOne(
        { _id: id, grantsVersion: expectedVersion },
        { $set: { grants, readers: readersOf(grants), grantsVersion: expectedVersion + 1 } },
      );
      return result.modifiedCount === 1;
    },
    /** Sandboxes where any of these grant keys holds read. */
    async readableBy(keys: string[], limit = 10_000): Promise<Sandbox[]> {
      const docs = await sandboxes
        .find({ readers: { $in: keys } })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<SandboxDoc[]>();
      return docs.map(toSandbox);
    },
  };
}
