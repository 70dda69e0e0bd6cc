import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose, { type Connection } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFerretDb, type FerretDb } from "../../dev/harness/ferretdb.js";
import { createAccountStore } from "../../services/sso/src/data/account-store.js";

// An SSO database from before upstream sign-ins: accounts with a unique index on their
// e-mail and no rows in sso_account_emails. The SSO brings it up to date at start, so
// accounts made at an upstream sign-in (some without an address) can be stored, and an
// address still belongs to one account.

describe("an SSO database from before upstream sign-ins", () => {
  const dir = mkdtempSync(join(tmpdir(), "sso-migration-"));
  let ferret: FerretDb;
  let db: Connection;

  beforeAll(async () => {
    ferret = await startFerretDb({ dir, backend: "sqlite" });
    db = await mongoose.createConnection(`${ferret.uri}sso`).asPromise();
    const accounts = db.collection("sso_accounts");
    await accounts.createIndex({ email: 1 }, { unique: true });
    await accounts.insertMany([
      {
        _id: "old-1",
        email: "ann@example.com",
        name: "Ann",
        roles: ["manager"],
        createdAt: new Date(),
      },
      {
        _id: "old-2",
        email: "bob@example.com",
        name: "Bob",
        roles: ["customer"],
        createdAt: new Date(),
      },
    ] as never[]);
  });

  afterAll(async () => {
    await db?.close();
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("when the SSO starts on it, then the addresses get their rows, the old index goes, and accounts without an address can be made", async () => {
    const store = createAccountStore(db);
    expect(await store.migrate()).toEqual({ emailsAdded: 2, droppedIndex: true });
    expect(await store.migrate()).toEqual({ emailsAdded: 0, droppedIndex: false });
    await store.createFromUpstream({ emailVerified: false, name: "Gosha" });
    await store.createFromUpstream({ emailVerified: false, name: "Dasha" });
    expect(await store.count()).toBe(4);
    // An old account's address is still taken.
    await expect(
      store.createFromUpstream({ email: "ann@example.com", emailVerified: true, name: "Ann" }),
    ).rejects.toThrow(/an account with e-mail ann@example.com exists/);
    expect(await store.count()).toBe(4);
  });
});
