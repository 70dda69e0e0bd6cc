import { randomUUID } from "node:crypto";
import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection, type Model } from "mongoose";
import type { Account, NewAccount, NewUpstreamAccount } from "../domain/account.js";
import { hashPassword } from "../domain/password-hash.js";

interface AccountDoc extends Omit<Account, "subject"> {
  _id: string;
}

const accountSchema = new Schema<AccountDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, index: true },
    emailVerified: { type: Boolean },
    name: { type: String, required: true },
    roles: { type: [String], required: true },
    partnerId: { type: String },
    passwordHash: { type: String },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: "sso_accounts" },
);

/**
 * Each e-mail address belongs to one account: a row per address, keyed by it, taken before
 * the account is written. (Accounts from an upstream may have no address, and FerretDB has no
 * sparse unique index, so the address's own row carries the uniqueness.)
 */
interface EmailDoc {
  _id: string;
  subject: string;
}
const emailSchema = new Schema<EmailDoc>(
  { _id: { type: String, required: true }, subject: { type: String, required: true } },
  { versionKey: false, collection: "sso_account_emails" },
);

export class EmailTaken extends Error {
  constructor(readonly email: string) {
    super(`an account with e-mail ${email} exists`);
  }
}

export interface AccountStore {
  create(input: NewAccount): Promise<Account>;
  /** A customer account without a password, made at a sign-in through an upstream. */
  createFromUpstream(input: NewUpstreamAccount): Promise<Account>;
  findByEmail(email: string): Promise<Account | undefined>;
  findBySubject(subject: string): Promise<Account | undefined>;
  count(): Promise<number>;
  /**
   * Brings a database from before upstream sign-ins up to date: every account's address gets
   * its row in `sso_account_emails`, and the unique index on `sso_accounts.email` (which
   * refused a second account without an address) is dropped. Safe to run at every start.
   */
  migrate(): Promise<{ emailsAdded: number; droppedIndex: boolean }>;
}

export function createAccountStore(connection: Connection): AccountStore {
  const model: Model<AccountDoc> =
    connection.models.SsoAccount ?? connection.model<AccountDoc>("SsoAccount", accountSchema);
  const emails: Model<EmailDoc> =
    connection.models.SsoAccountEmail ?? connection.model<EmailDoc>("SsoAccountEmail", emailSchema);
  const toAccount = (doc: AccountDoc | null): Account | undefined => {
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { subject: _id, ...rest, ...(rest.partnerId ? {} : { partnerId: undefined }) };
  };
  const insert = async (doc: AccountDoc): Promise<Account> => {
    if (doc.email) {
      try {
        await emails.create({ _id: doc.email, subject: doc._id });
      } catch (error) {
        if (isDuplicateKey(error)) throw new EmailTaken(doc.email);
        throw error;
      }
    }
    try {
      await model.create(doc);
    } catch (error) {
      if (doc.email) await emails.deleteOne({ _id: doc.email, subject: doc._id });
      if (isDuplicateKey(error) && doc.email) throw new EmailTaken(doc.email);
      throw error;
    }
    return toAccount(doc)!;
  };
  return {
    async create(input) {
      return insert({
        _id: randomUUID(),
        email: input.email,
        name: input.name,
        roles: input.roles,
        ...(input.partnerId ? { partnerId: input.partnerId } : {}),
        passwordHash: await hashPassword(input.password),
        createdAt: new Date(),
      });
    },
    async createFromUpstream(input) {
      return insert({
        _id: randomUUID(),
        ...(input.email ? { email: input.email, emailVerified: input.emailVerified } : {}),
        name: input.name,
        roles: ["customer"],
        createdAt: new Date(),
      });
    },
    async findByEmail(email) {
      return toAccount(await model.findOne({ email: email.trim().toLowerCase() }).lean());
    },
    async findBySubject(subject) {
      return toAccount(await model.findById(subject).lean());
    },
    async count() {
      return model.countDocuments();
    },
    async migrate() {
      // Only a database from before has the unique index: every later account got its
      // address row when it was made, so a start reads nothing more.
      const indexes = await model.collection.indexes().catch(() => []);
      const old = indexes.find((index) => index.unique && index.key.email !== undefined);
      if (!old?.name) return { emailsAdded: 0, droppedIndex: false };
      let emailsAdded = 0;
      for await (const doc of model
        .find({ email: { $exists: true } })
        .lean()
        .cursor()) {
        if (!doc.email) continue;
        try {
          await emails.create({ _id: doc.email, subject: doc._id });
          emailsAdded += 1;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
      // Dropped last: a start stopped half-way finds the index and fills in the rest.
      await model.collection.dropIndex(old.name);
      return { emailsAdded, droppedIndex: true };
    },
  };
}
