import { Schema, type Connection } from "mongoose";
import type { Dictionary, DictionaryVersion } from "../domain/dictionary.js";

interface DictionaryDoc {
  _id: string;
  title: string;
  entries: Array<{ code: string; label: string }>;
  version: number;
  updatedAt: Date;
}

interface DictionaryVersionDoc {
  _id: string;
  code: string;
  version: number;
  changedAt: Date;
  changedBy: string;
  dictionary: Dictionary;
}

const dictionarySchema = new Schema<DictionaryDoc>(
  {
    _id: String,
    title: { type: String, required: true },
    entries: [{ _id: false, code: String, label: String }],
    version: { type: Number, required: true },
    updatedAt: Date,
  },
  { versionKey: false, collection: "dictionaries" },
);

const dictionaryVersionSchema = new Schema<DictionaryVersionDoc>(
  {
    _id: String,
    code: { type: String, required: true },
    version: { type: Number, required: true },
    changedAt: Date,
    changedBy: String,
    dictionary: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, collection: "dictionary_versions" },
);
dictionaryVersionSchema.index({ code: 1, version: 1 }, { unique: true });

function toDictionary(doc: DictionaryDoc): Dictionary {
  return {
    code: doc._id,
    title: doc.title,
    entries: doc.entries.map(({ code, label }) => ({ code, label })),
    version: doc.version,
    updatedAt: doc.updatedAt.toISOString(),
  };
}

function toDoc(dictionary: Dictionary): DictionaryDoc {
  const { code, updatedAt, ...fields } = dictionary;
  return { ...fields, _id: code, updatedAt: new Date(updatedAt) };
}

export type DictionaryStore = ReturnType<typeof createDictionaryStore>;

export function createDictionaryStore(connection: Connection) {
  const dictionaries = connection.model<DictionaryDoc>("Dictionary", dictionarySchema);
  const versions = connection.model<DictionaryVersionDoc>(
    "DictionaryVersion",
    dictionaryVersionSchema,
  );
  return {
    ready: () => Promise.all([dictionaries.init(), versions.init()]),
    async insert(dictionary: Dictionary): Promise<void> {
      await dictionaries.create(toDoc(dictionary));
    },
    async find(code: string): Promise<Dictionary | undefined> {
      const doc = await dictionaries.findById(code).lean<DictionaryDoc>();
      return doc ? toDictionary(doc) : undefined;
    },
    async list(): Promise<Dictionary[]> {
      const docs = await dictionaries.find().sort({ _id: 1 }).limit(1_000).lean<DictionaryDoc[]>();
      return docs.map(toDictionary);
    },
    async replaceIfVersion(dictionary: Dictionary, expectedVersion: number): Promise<boolean> {
      const result = await dictionaries.replaceOne(
        { _id: dictionary.code, version: expectedVersion },
        toDoc(dictionary),
      );
      return result.modifiedCount === 1;
    },
    async insertVersion(entry: DictionaryVersion): Promise<void> {
      await versions.create({
        _id: `${entry.code}:${entry.version}`,
        ...entry,
        changedAt: new Date(entry.changedAt),
      });
    },
    async listVersions(code: string): Promise<DictionaryVersion[]> {
      const docs = await versions
        .find({ code })
        .sort({ version: -1 })
        .lean<DictionaryVersionDoc[]>();
      return docs.map((doc) => ({
        code: doc.code,
        version: doc.version,
        changedAt: doc.changedAt.toISOString(),
        changedBy: doc.changedBy,
        dictionary: doc.dictionary,
      }));
    },
  };
}
