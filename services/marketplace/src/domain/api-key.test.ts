import { describe, expect, it } from "vitest";
import { hashSecret, issueKey, parseKey, secretMatches } from "./api-key.js";

describe("partner API keys", () => {
  it("when a key is issued, then it reads back to its id and a secret whose hash is what is stored", () => {
    const issued = issueKey();
    expect(issued.token).toMatch(/^mpk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseKey(issued.token)!;
    expect(parsed.keyId).toBe(issued.keyId);
    expect(hashSecret(parsed.secret)).toBe(issued.hash);
    expect(issued.hash).not.toContain(parsed.secret);
    expect(secretMatches(parsed.secret, issued.hash)).toBe(true);
  });

  it("when two keys are issued, then they share nothing", () => {
    const [a, b] = [issueKey(), issueKey()];
    expect(a.keyId).not.toBe(b.keyId);
    expect(a.hash).not.toBe(b.hash);
  });

  it.each([
    "",
    "mpk_",
    "mpk_0123456789ab",
    "mpk_0123456789ab_short",
    "xyz_0123456789ab_" + "a".repeat(43),
    "mpk_0123456789AB_" + "a".repeat(43),
  ])("when %j is presented, then it is not a key", (token) => {
    expect(parseKey(token)).toBeUndefined();
  });

  it("when the secret differs by one character, then it does not match", () => {
    const issued = issueKey();
    const { secret } = parseKey(issued.token)!;
    const other = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    expect(secretMatches(other, issued.hash)).toBe(false);
  });
});
