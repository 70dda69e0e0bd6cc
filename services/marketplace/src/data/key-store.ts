import { Schema, type Connection } from "mongoose";

// Partner API keys at rest: the key id, the SHA-256 of the secret, and when the key stops
// working (set by a rotation or a revocation). The secret itself is never stored.

export interface StoredKey {
  keyId: string;
  partnerId: string;
  hash: string;
  createdAt: string;
  /** After this instant the key is refused (a rotation's overlap ended, or it was revoked). */
  expiresAt?: string;
  revoked?: boolean;
}

interface KeyDoc {
  _id: string;
  partnerId: string;
  hash: string;
  createdAt: Date;
  expiresAt?: Date;
  revoked?: boolean;
}

const keySchema = new Schema<KeyDoc>(
  {
    _id: String,
    partnerId: { type: String, required: true, index: true },
    hash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: Date,
    revoked: Boolean,
  },
  { versionKey: false, collection: "api_keys" },
);

function toKey(doc: KeyDoc): StoredKey {
  return {
    keyId: doc._id,
    partnerId: doc.partnerId,
    hash: doc.hash,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.expiresAt ? { expiresAt: doc.expiresAt.toISOString() } : {}),
    ...(doc.revoked ? { revoked: true } : {}),
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;

export function createKeyStore(connection: Connection) {
  const keys = connection.model<KeyDoc>("ApiKey", keySchema);
  return {
    ready: () => keys.init(),
    async insert(key: StoredKey): Promise<void> {
      await keys.create({
        _id: key.keyId,
        partnerId: key.partnerId,
        hash: key.hash,
        createdAt: new Date(key.createdAt),
        ...(key.expiresAt ? { expiresAt: new Date(key.expiresAt) } : {}),
      });
    },
    async find(keyId: string): Promise<StoredKey | undefined> {
      const doc = await keys.findById(keyId).lean<KeyDoc>();
      return doc ? toKey(doc) : undefined;
    },
    async listFor(partnerId: string): Promise<StoredKey[]> {
      const docs = await keys.find({ partnerId }).sort({ createdAt: 1 }).lean<KeyDoc[]>();
      return docs.map(toKey);
    },
    /** Sets when a key stops working (never later than it already would). */
    async expire(keyId: string, at: string, revoked = false): Promise<void> {
      await keys.updateOne(
        { _id: keyId },
        { $set: { expiresAt: new Date(at), ...(revoked ? { revoked: true } : {}) } },
      );
    },
  };
}
