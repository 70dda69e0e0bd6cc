import { createHash } from "node:crypto";
import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKey } from "@symbiont/service-kit";

// Process definitions, versioned: a BPMN document whose content differs from its key's newest
// version becomes the next version; the same content again is the same version. Instances
// keep the version they started with (its XML stays here).

export interface StoredDefinition {
  key: string;
  version: number;
  name: string;
  sha256: string;
  xml: string;
  deployedAt: string;
  deployedBy: string;
}

interface DefinitionDoc extends StoredDefinition {
  _id: string;
}

const schema = new Schema<DefinitionDoc>(
  {
    _id: String,
    key: { type: String, required: true, index: true },
    version: { type: Number, required: true },
    name: String,
    sha256: String,
    xml: String,
    deployedAt: String,
    deployedBy: String,
  },
  { versionKey: false, collection: "process_definitions" },
);

export type DefinitionStore = ReturnType<typeof createDefinitionStore>;

export function createDefinitionStore(connection: Connection) {
  const model: Model<DefinitionDoc> =
    (connection.models.ProcessDefinition as Model<DefinitionDoc> | undefined) ??
    connection.model<DefinitionDoc>("ProcessDefinition", schema);
  const plain = ({ _id, ...rest }: DefinitionDoc): StoredDefinition => rest;
  const store = {
    ready: () => model.init().then(() => undefined),
    async latest(key: string): Promise<StoredDefinition | undefined> {
      const doc = await model.findOne({ key }).sort({ version: -1 }).lean<DefinitionDoc>();
      return doc ? plain(doc) : undefined;
    },
    async get(key: string, version: number): Promise<StoredDefinition | undefined> {
      const doc = await model.findById(`${key}@${version}`).lean<DefinitionDoc>();
      return doc ? plain(doc) : undefined;
    },
    async list(): Promise<StoredDefinition[]> {
      const docs = await model.find().sort({ key: 1, version: 1 }).lean<DefinitionDoc[]>();
      return docs.map(plain);
    },
    /** Stores `xml` as the key's next version unless it is the newest already. */
    async deploy(
      definition: { key: string; name: string; xml: string; deployedBy: string },
      now: Date,
    ): Promise<{ definition: StoredDefinition; created: boolean }> {
      const sha256 = createHash("sha256").update(definition.xml).digest("hex");
      for (;;) {
        const newest = await store.latest(definition.key);
        if (newest?.sha256 === sha256) return { definition: newest, created: false };
        const stored: StoredDefinition = {
          ...definition,
          version: (newest?.version ?? 0) + 1,
          sha256,
          deployedAt: now.toISOString(),
        };
        try {
          await model.create({ _id: `${stored.key}@${stored.version}`, ...stored });
          return { definition: stored, created: true };
        } catch (error) {
          // Another deployment took this version number: read again.
          if (!isDuplicateKey(error)) throw error;
        }
      }
    },
  };
  return store;
}
