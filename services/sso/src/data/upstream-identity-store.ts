import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection, type Model } from "mongoose";

// Who a person is at an upstream provider, linked to their SSO account: keyed by the
// upstream's issuer and its subject (a subject is unique only at its issuer).

interface IdentityDoc {
  _id: string;
  issuer: string;
  sub: string;
  upstream: string;
  accountId: string;
  linkedAt: Date;
}

const identitySchema = new Schema<IdentityDoc>(
  {
    _id: { type: String, required: true },
    issuer: { type: String, required: true },
    sub: { type: String, required: true },
    upstream: { type: String, required: true },
    accountId: { type: String, required: true, index: true },
    linkedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: "sso_upstream_identities" },
);

export interface UpstreamIdentity {
  issuer: string;
  sub: string;
  upstream: string;
  accountId: string;
  linkedAt: Date;
}

export interface UpstreamIdentityStore {
  find(issuer: string, sub: string): Promise<UpstreamIdentity | undefined>;
  /**
   * Links the identity to the account; when it is linked already, the account it has wins,
   * unless `replace` (its account no longer exists).
   */
  link(identity: UpstreamIdentity, options?: { replace?: boolean }): Promise<UpstreamIdentity>;
  count(): Promise<number>;
}

const keyOf = (issuer: string, sub: string) => JSON.stringify([issuer, sub]);

export function createUpstreamIdentityStore(connection: Connection): UpstreamIdentityStore {
  const model: Model<IdentityDoc> =
    connection.models.SsoUpstreamIdentity ??
    connection.model<IdentityDoc>("SsoUpstreamIdentity", identitySchema);
  const toIdentity = (doc: IdentityDoc | null): UpstreamIdentity | undefined => {
    if (!doc) return undefined;
    const { _id: _key, ...identity } = doc;
    return identity;
  };
  const find = async (issuer: string, sub: string) =>
    toIdentity(await model.findById(keyOf(issuer, sub)).lean());
  return {
    find,
    async link(identity, options = {}) {
      const doc = { _id: keyOf(identity.issuer, identity.sub), ...identity };
      if (options.replace) {
        await model.replaceOne({ _id: doc._id }, doc, { upsert: true });
        return identity;
      }
      try {
        await model.create(doc);
        return identity;
      } catch (error) {
        // Two first sign-ins at once: the one stored first links the identity.
        if (!isDuplicateKey(error)) throw error;
        return (await find(identity.issuer, identity.sub))!;
      }
    },
    async count() {
      return model.countDocuments();
    },
  };
}
