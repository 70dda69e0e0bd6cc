import { randomUUID } from "node:crypto";
import { isDuplicateKey } from "@symbiont/service-kit";
import { Schema, type Connection, type Model } from "mongoose";
import type { Account, NewAccount } from "../domain/account.js";
import { hashPassword } from "../domain/password-hash.js";

interface AccountDoc extends Omit<Account, "subject"> {
  _id: string;
}

const accountSchema = new Schema<AccountDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    roles: { type: [String], required: true },
    partnerId: { type: String },
    passwordHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: "sso_accounts" },
);

export class EmailTaken extends Error {
  constructor(readonly email: string) {
    super(`an account with e-mail ${email} exists`);
  }
}

export interface AccountStore {
  create(input: NewAccount): Promise<Account>;
  findByEmail(email: string): Promise<Account | undefined>;
  findBySubject(subject: string): Promise<Account | undefined>;
}

export function createAccountStore(connection: Connection): AccountStore {
  const model: Model<AccountDoc> =
    connection.models.SsoAccount ?? connection.model<AccountDoc>("SsoAccount", accountSchema);
  const toAccount = (doc: AccountDoc | null): Account | undefined => {
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { subject: _id, ...rest, ...(rest.partnerId ? {} : { partnerId: undefined }) };
  };
  return {
    async create(input) {
      const doc: AccountDoc = {
        _id: randomUUID(),
        email: input.email,
        name: input.name,
        roles: input.roles,
        ...(input.partnerId ? { partnerId: input.partnerId } : {}),
        passwordHash: await hashPassword(input.password),
        createdAt: new Date(),
      };
      try {
        await model.create(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new EmailTaken(input.email);
        throw error;
      }
      return toAccount(doc)!;
    },
    async findByEmail(email) {
      return toAccount(await model.findOne({ email: email.trim().toLowerCase() }).lean());
    },
    async findBySubject(subject) {
      return toAccount(await model.findById(subject).lean());
    },
  };
}
