import { Schema, type Connection, type Model } from "mongoose";

// oidc-provider's storage (sessions, interactions, authorization codes, grants, tokens) in
// the module's own database, so a restart or another replica keeps people signed in.
// FerretDB v1 has no TTL indexes: expiry is checked on read and expired rows are swept.

interface OidcDoc {
  _id: string;
  kind: string;
  payload: Record<string, unknown>;
  uid?: string;
  userCode?: string;
  grantId?: string;
  expiresAt?: Date;
}

const oidcSchema = new Schema<OidcDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    uid: { type: String, index: true },
    userCode: { type: String, index: true },
    grantId: { type: String, index: true },
    expiresAt: { type: Date, index: true },
  },
  { versionKey: false, collection: "sso_oidc", minimize: false },
);

type Payload = Record<string, unknown>;

/** The adapter class oidc-provider instantiates once per model name. */
export function mongoAdapter(connection: Connection) {
  const model: Model<OidcDoc> =
    connection.models.SsoOidc ?? connection.model<OidcDoc>("SsoOidc", oidcSchema);
  const live = (doc: OidcDoc | null): Payload | undefined =>
    doc && (!doc.expiresAt || doc.expiresAt.getTime() > Date.now()) ? doc.payload : undefined;

  return class MongoAdapter {
    constructor(private readonly name: string) {}

    private key(id: string): string {
      return `${this.name}:${id}`;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      const doc: OidcDoc = {
        _id: this.key(id),
        kind: this.name,
        payload,
        ...(typeof payload.uid === "string" ? { uid: payload.uid } : {}),
        ...(typeof payload.userCode === "string" ? { userCode: payload.userCode } : {}),
        ...(typeof payload.grantId === "string" ? { grantId: payload.grantId } : {}),
        ...(expiresIn ? { expiresAt: new Date(Date.now() + expiresIn * 1000) } : {}),
      };
      await model.replaceOne({ _id: doc._id }, doc, { upsert: true });
    }

    async find(id: string): Promise<Payload | undefined> {
      return live(await model.findById(this.key(id)).lean());
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      return live(await model.findOne({ kind: this.name, uid }).lean());
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      return live(await model.findOne({ kind: this.name, userCode }).lean());
    }

    async consume(id: string): Promise<void> {
      await model.updateOne(
        { _id: this.key(id) },
        { $set: { "payload.consumed": Math.floor(Date.now() / 1000) } },
      );
    }

    async destroy(id: string): Promise<void> {
      await model.deleteOne({ _id: this.key(id) });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await model.deleteMany({ grantId });
    }
  };
}

/** Deletes expired rows (there is no TTL index); run now and then. */
export async function sweepExpired(connection: Connection): Promise<number> {
  const model = connection.models.SsoOidc as Model<OidcDoc> | undefined;
  if (!model) return 0;
  const result = await model.deleteMany({ expiresAt: { $lt: new Date() } });
  return result.deletedCount;
}
