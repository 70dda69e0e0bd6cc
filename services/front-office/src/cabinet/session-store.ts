import { randomBytes } from "node:crypto";
import { Schema, type Connection, type Model } from "mongoose";
import type { SignedIn } from "./sso-client.js";

// The cabinet's sessions, in its own database (a browser holds only a signed id), so every
// replica knows them and a sign-out ends them everywhere. Expiry is checked on read
// (FerretDB v1 has no TTL indexes) and expired ones are swept.

export interface Session extends SignedIn {
  id: string;
  signedInAt: Date;
  expiresAt: Date;
}

type SessionDoc = Omit<Session, "id"> & { _id: string };

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    subject: { type: String, required: true, index: true },
    name: String,
    email: String,
    roles: [String],
    partnerId: String,
    idToken: String,
    accessToken: String,
    refreshToken: String,
    accessExpiresAt: Number,
    signedInAt: Date,
    expiresAt: { type: Date, index: true },
  },
  { versionKey: false, collection: "front_office_sessions" },
);

export interface SessionStore {
  create(signedIn: SignedIn, ttlSeconds: number, now: Date): Promise<Session>;
  find(id: string, now: Date): Promise<Session | undefined>;
  update(id: string, tokens: Partial<SignedIn>): Promise<void>;
  destroy(id: string): Promise<void>;
  sweep(now: Date): Promise<number>;
}

export function createSessionStore(connection: Connection): SessionStore {
  const model: Model<SessionDoc> =
    connection.models.FrontOfficeSession ??
    connection.model<SessionDoc>("FrontOfficeSession", sessionSchema);
  return {
    async create(signedIn, ttlSeconds, now) {
      const id = randomBytes(24).toString("base64url");
      const session: Session = {
        ...signedIn,
        id,
        signedInAt: now,
        expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      };
      const { id: _id, ...rest } = session;
      await model.create({ _id: id, ...rest });
      return session;
    },
    async find(id, now) {
      const doc = await model.findById(id).lean<SessionDoc>();
      if (!doc || doc.expiresAt <= now) return undefined;
      const { _id, ...rest } = doc;
      return { id: _id, ...rest, roles: rest.roles ?? [] };
    },
    async update(id, tokens) {
      await model.updateOne({ _id: id }, { $set: tokens });
    },
    async destroy(id) {
      await model.deleteOne({ _id: id });
    },
    async sweep(now) {
      return (await model.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
    },
  };
}
