import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection } from "mongoose";
import type { FileEntry, FileVersion, VersionState } from "../domain/file-version.js";

// Files and their versions in the module's database. FerretDB v1 has no transactions: each
// write here is one document, and the order of writes (domain/store-version.ts) is what
// keeps files, versions and objects consistent.

interface FileDoc extends Omit<FileEntry, "id" | "createdAt" | "updatedAt"> {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
}

interface VersionDoc extends Omit<FileVersion, "createdAt"> {
  _id: string;
  createdAt: Date;
}

const linkShape = { _id: false, kind: String, id: String };
const authorShape = { _id: false, kind: String, id: String, partner: String };

const fileSchema = new Schema<FileDoc>(
  {
    _id: String,
    sandbox: { type: String, required: true },
    path: { type: String, required: true },
    name: { type: String, required: true },
    currentVersion: { type: Number, required: true },
    contentType: String,
    size: Number,
    sha256: String,
    author: authorShape,
    links: [linkShape],
    createdAt: Date,
    updatedAt: Date,
  },
  { versionKey: false, collection: "files" },
);
fileSchema.index({ sandbox: 1, path: 1 }, { unique: true });
fileSchema.index({ currentVersion: 1 });

const versionSchema = new Schema<VersionDoc>(
  {
    _id: String,
    fileId: { type: String, required: true },
    sandbox: { type: String, required: true },
    path: { type: String, required: true },
    version: { type: Number, required: true },
    state: { type: String, required: true },
    objectKey: { type: String, required: true },
    contentType: String,
    size: Number,
    sha256: String,
    author: authorShape,
    createdAt: Date,
    restoredFrom: Number,
    links: [linkShape],
    origin: { _id: false, topic: String, eventId: String },
    text: String,
    meta: { type: Schema.Types.Mixed },
  },
  { versionKey: false, collection: "file_versions", minimize: false },
);
versionSchema.index({ fileId: 1, version: -1 });
versionSchema.index({ state: 1 });
versionSchema.index({ objectKey: 1 });

export const versionId = (fileId: string, version: number) => `${fileId}:${version}`;

function toEntry(doc: FileDoc): FileEntry {
  const { _id, createdAt, updatedAt, ...rest } = doc;
  return {
    ...rest,
    id: _id,
    links: rest.links ?? [],
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

function toVersion(doc: VersionDoc): FileVersion {
  const { _id, createdAt, ...rest } = doc;
  return {
    ...rest,
    links: rest.links ?? [],
    text: rest.text ?? "",
    meta: rest.meta ?? {},
    createdAt: createdAt.toISOString(),
  };
}

const withoutText = { text: 0 } as const;

export type FileStore = ReturnType<typeof createFileStore>;

export function createFileStore(connection: Connection) {
  const files = connection.model<FileDoc>("File", fileSchema);
  const versions = connection.model<VersionDoc>("FileVersion", versionSchema);
  return {
    ready: () => Promise.all([files.init(), versions.init()]),

    /** The file at a path, created at version 0 (invisible) when there is none yet. */
    async claimPath(sandbox: string, path: string, name: string, id: string, at: Date) {
      const claim = () =>
        files.findOneAndUpdate(
          { sandbox, path },
          {
            $setOnInsert: {
              _id: id,
              name,
              currentVersion: 0,
              links: [],
              createdAt: at,
              updatedAt: at,
            },
          },
          { upsert: true, new: true },
        );
      // Two first uploads of one path at once: the unique index lets one insert, the other
      // finds the file on a second try.
      const doc = await claim()
        .lean<FileDoc>()
        .catch((error: unknown) => {
          if (isDuplicateKey(error)) return claim().lean<FileDoc>();
          throw error;
        });
      return toEntry(doc);
    },
    async find(sandbox: string, path: string): Promise<FileEntry | undefined> {
      const doc = await files.findOne({ sandbox, path }).lean<FileDoc>();
      return doc ? toEntry(doc) : undefined;
    },
    async findById(id: string): Promise<FileEntry | undefined> {
      const doc = await files.findById(id).lean<FileDoc>();
      return doc ? toEntry(doc) : undefined;
    },
    /** Visible files of a sandbox (at least one version), by path. */
    async list(sandbox: string, prefix: string, limit: number): Promise<FileEntry[]> {
      const filter: Record<string, unknown> = { sandbox, currentVersion: { $gte: 1 } };
      if (prefix) filter.path = { $regex: `^${escapeRegex(prefix)}` };
      const docs = await files.find(filter).sort({ path: 1 }).limit(limit).lean<FileDoc[]>();
      return docs.map(toEntry);
    },
    /** Moves the file from `from` to `version` (only if it is still at `from`). */
    async advance(version: FileVersion, from: number): Promise<boolean> {
      const result = await files.updateOne(
        { _id: version.fileId, currentVersion: from },
        {
          $set: {
            currentVersion: version.version,
            contentType: version.contentType,
            size: version.size,
            sha256: version.sha256,
            author: version.author,
            links: version.links,
            updatedAt: new Date(version.createdAt),
          },
        },
      );
      return result.modifiedCount === 1;
    },
    /** Removes a file that never got a version (a placeholder left by a failed upload). */
    async dropPlaceholder(id: string): Promise<boolean> {
      const result = await files.deleteOne({ _id: id, currentVersion: 0 });
      return result.deletedCount === 1;
    },
    async placeholders(olderThan: Date): Promise<FileEntry[]> {
      const docs = await files
        .find({ currentVersion: 0, createdAt: { $lt: olderThan } })
        .lean<FileDoc[]>();
      return docs.map(toEntry);
    },

    /** Inserts a version record; false when that version number is taken already. */
    async insertVersion(version: FileVersion): Promise<boolean> {
      try {
        await versions.create({
          ...version,
          _id: versionId(version.fileId, version.version),
          createdAt: new Date(version.createdAt),
        });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async findVersion(fileId: string, version: number): Promise<FileVersion | undefined> {
      const doc = await versions.findById(versionId(fileId, version)).lean<VersionDoc>();
      return doc ? toVersion(doc) : undefined;
    },
    /** Moves a version from one state to the next; false when it was not in `from`. */
    async setState(version: FileVersion, from: VersionState, to: VersionState): Promise<boolean> {
      const result = await versions.updateOne(
        { _id: versionId(version.fileId, version.version), state: from },
        { $set: { state: to } },
      );
      return result.modifiedCount === 1;
    },
    /** Deletes a version record only while it is pending (a rollback); false otherwise. */
    async dropPending(version: FileVersion): Promise<boolean> {
      const result = await versions.deleteOne({
        _id: versionId(version.fileId, version.version),
        state: "pending",
      });
      return result.deletedCount === 1;
    },
    /** True when a version of the file came from this event (a redelivery is recognised). */
    async hasVersionFrom(fileId: string, eventId: string): Promise<boolean> {
      return (await versions.exists({ fileId, "origin.eventId": eventId })) !== null;
    },
    /** Stored versions of a file, newest first, without their text. */
    async listVersions(fileId: string, upTo: number): Promise<FileVersion[]> {
      const docs = await versions
        .find({ fileId, version: { $lte: upTo }, state: { $ne: "pending" } }, withoutText)
        .sort({ version: -1 })
        .lean<VersionDoc[]>();
      return docs.map(toVersion);
    },
    async versionsIn(state: VersionState): Promise<FileVersion[]> {
      const docs = await versions.find({ state }).sort({ createdAt: 1 }).lean<VersionDoc[]>();
      return docs.map(toVersion);
    },
    /** Every file's current version number (0: none yet), by file id. */
    async currentVersions(): Promise<Map<string, number>> {
      const docs = await files
        .find({}, { currentVersion: 1 })
        .lean<Array<{ _id: string; currentVersion: number }>>();
      return new Map(docs.map((d) => [d._id, d.currentVersion]));
    },
    /**
     * Every version record, in one pass (FerretDB v1 scans a collection for most filters, so
     * one sequential read beats many `$in` lookups).
     */
    async *allVersions(): AsyncIterable<FileVersion> {
      for await (const doc of versions.find({}).lean<VersionDoc[]>().cursor({ batchSize: 200 }))
        yield toVersion(doc as VersionDoc);
    },
    countVisible: () => files.countDocuments({ currentVersion: { $gte: 1 } }),
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
