import { Schema, type Connection, type Model } from "mongoose";

// A sign-in sent to an upstream provider and not yet back: its state (the key), the nonce and
// PKCE verifier to check the answer with, and the SSO interaction to finish. Taken once.

export interface PendingUpstreamLogin {
  state: string;
  upstream: string;
  interactionUid: string;
  nonce: string;
  codeVerifier: string;
  expiresAt: Date;
}

interface PendingDoc extends Omit<PendingUpstreamLogin, "state"> {
  _id: string;
}

const pendingSchema = new Schema<PendingDoc>(
  {
    _id: { type: String, required: true },
    upstream: { type: String, required: true },
    interactionUid: { type: String, required: true },
    nonce: { type: String, required: true },
    codeVerifier: { type: String, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false, collection: "sso_upstream_logins" },
);

export interface PendingUpstreamStore {
  save(login: PendingUpstreamLogin): Promise<void>;
  /** The pending sign-in with this state, removed so it cannot be used again; none if expired. */
  take(state: string, now: Date): Promise<PendingUpstreamLogin | undefined>;
  sweep(now: Date): Promise<number>;
}

export function createPendingUpstreamStore(connection: Connection): PendingUpstreamStore {
  const model: Model<PendingDoc> =
    connection.models.SsoUpstreamLogin ??
    connection.model<PendingDoc>("SsoUpstreamLogin", pendingSchema);
  return {
    async save({ state, ...login }) {
      await model.create({ _id: state, ...login });
    },
    async take(state, now) {
      const doc = await model.findOneAndDelete({ _id: state }).lean();
      if (!doc || doc.expiresAt.getTime() <= now.getTime()) return undefined;
      const { _id, ...login } = doc;
      return { state: _id, ...login };
    },
    async sweep(now) {
      return (await model.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
    },
  };
}
