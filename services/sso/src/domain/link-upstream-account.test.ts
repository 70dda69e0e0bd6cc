import { describe, expect, it } from "vitest";
import type { Account } from "./account.js";
import { decideLink, upstreamPerson } from "./link-upstream-account.js";

const account = (subject: string, email?: string): Account => ({
  subject,
  ...(email ? { email } : {}),
  name: "Maria Ivanova",
  roles: ["customer"],
  createdAt: new Date("2026-03-01T10:00:00Z"),
});

describe("an upstream's claims", () => {
  it.each([
    [
      "a verified e-mail",
      { sub: "s-1", email: "Maria@Example.com", email_verified: true, name: "Maria" },
      { sub: "s-1", verifiedEmail: "maria@example.com", name: "Maria" },
    ],
    [
      "an unverified e-mail",
      { sub: "s-1", email: "maria@example.com", email_verified: false, name: "Maria" },
      { sub: "s-1", name: "Maria" },
    ],
    [
      "email_verified as a string",
      { sub: "s-1", email: "maria@example.com", email_verified: "true", name: "Maria" },
      { sub: "s-1", name: "Maria" },
    ],
    [
      "a malformed e-mail",
      { sub: "s-1", email: "maria@", email_verified: true },
      { sub: "s-1", name: "Gov ID" },
    ],
    [
      "only given and family names",
      { sub: "s-1", given_name: "Мария", family_name: "Иванова" },
      { sub: "s-1", name: "Мария Иванова" },
    ],
  ])("when they carry %s, then the person is read as such", (_what, claims, person) => {
    expect(upstreamPerson(claims, "Gov ID")).toEqual(person);
  });
});

describe("linking an upstream identity to an account", () => {
  const person = { sub: "RU-PASSPORT-4510-123456", name: "Мария Иванова" };

  it("when the identity is linked, then it signs in to its account, whatever its e-mail says now", () => {
    expect(
      decideLink({
        person: { ...person, verifiedEmail: "other@example.com" },
        linkedAccount: account("a-1"),
        accountWithEmail: account("a-2", "other@example.com"),
      }),
    ).toEqual({ action: "signIn", subject: "a-1" });
  });

  it("when a first sign-in's verified e-mail is an account's, then the identity joins that account", () => {
    expect(
      decideLink({
        person: { ...person, verifiedEmail: "maria@example.com" },
        linkedAccount: undefined,
        accountWithEmail: account("a-2", "maria@example.com"),
      }),
    ).toEqual({ action: "link", subject: "a-2" });
  });

  it("when the e-mail is not verified, then no account is joined (even one with that address) and a new one has no e-mail", () => {
    expect(decideLink({ person, linkedAccount: undefined, accountWithEmail: undefined })).toEqual({
      action: "create",
      account: { emailVerified: false, name: "Мария Иванова" },
    });
  });

  it("when nobody has the verified e-mail, then a customer account is made with it", () => {
    expect(
      decideLink({
        person: { ...person, verifiedEmail: "maria@example.com" },
        linkedAccount: undefined,
        accountWithEmail: undefined,
      }),
    ).toEqual({
      action: "create",
      account: { email: "maria@example.com", emailVerified: true, name: "Мария Иванова" },
    });
  });

  it("when the account found has another address, then it is not joined", () => {
    expect(
      decideLink({
        person: { ...person, verifiedEmail: "maria@example.com" },
        linkedAccount: undefined,
        accountWithEmail: account("a-3", "someone@example.com"),
      }).action,
    ).toBe("create");
  });

  it.each([["manager"], ["marketplace-partner"]])(
    "when a first sign-in's verified e-mail is the account of a %s, then it is refused, not joined",
    (role) => {
      const staff = {
        ...account("acc-7", "boss@example.com"),
        roles: ["customer", role],
      } as Account;
      const decision = decideLink({
        person: { ...person, verifiedEmail: "boss@example.com" },
        linkedAccount: undefined,
        accountWithEmail: staff,
      });
      expect(decision).toEqual({
        action: "refuse",
        reason: `The account of boss@example.com has ${role} rights: sign in to it with its e-mail and password.`,
      });
    },
  );
});
