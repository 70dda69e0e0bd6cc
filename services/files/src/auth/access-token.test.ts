import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signAccessToken, verifyAccessToken } from "./access-token.js";

const key = "k".repeat(32);
const other = "o".repeat(32);

describe("access tokens", () => {
  it("when an internal user's token is checked, then the principal has the user's teams", async () => {
    const token = await signAccessToken({ kind: "internal", sub: "anna", teams: ["legal"] }, key);
    expect(await verifyAccessToken(token, [key])).toEqual({
      kind: "internal",
      id: "anna",
      teams: ["legal"],
    });
  });

  it("when a partner's token is checked, then the principal names the partner", async () => {
    const token = await signAccessToken({ kind: "partner", sub: "p-1", partner: "acme" }, key);
    expect(await verifyAccessToken(token, [other, key])).toEqual({
      kind: "partner",
      id: "p-1",
      partner: "acme",
    });
  });

  it.each([
    [
      "signed with another key",
      () => signAccessToken({ kind: "internal", sub: "a" }, other),
      "signature",
    ],
    ["expired", () => signAccessToken({ kind: "internal", sub: "a" }, key, -10), "expired"],
    [
      "for another audience",
      () =>
        new SignJWT({ kind: "internal" })
          .setProtectedHeader({ alg: "HS256" })
          .setSubject("a")
          .setAudience("symbiont-crm")
          .setExpirationTime("1h")
          .sign(new TextEncoder().encode(key)),
      "not valid",
    ],
    [
      "a partner without its partner",
      () =>
        new SignJWT({ kind: "partner" })
          .setProtectedHeader({ alg: "HS256" })
          .setSubject("a")
          .setAudience("symbiont-files")
          .setExpirationTime("1h")
          .sign(new TextEncoder().encode(key)),
      "claims",
    ],
  ])("when the token is %s, then it is a 401", async (_what, make, reason) => {
    await expect(verifyAccessToken(await make(), [key])).rejects.toMatchObject({
      status: 401,
      code: "Unauthenticated",
      message: expect.stringContaining(reason),
    });
  });
});
