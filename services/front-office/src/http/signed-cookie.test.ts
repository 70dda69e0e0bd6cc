import { describe, expect, it } from "vitest";
import { readCookies, signValue, verifySigned } from "./signed-cookie.js";

const oldKey = "o".repeat(32);
const newKey = "n".repeat(32);

describe("signed cookies", () => {
  it("when a value was signed with any current key, then it verifies (keys rotate)", () => {
    expect(verifySigned(signValue("s-1", [oldKey]), [newKey, oldKey])).toBe("s-1");
    expect(verifySigned(signValue("s-1", [newKey, oldKey]), [newKey])).toBe("s-1");
  });

  it.each([
    ["another key", signValue("s-1", ["x".repeat(32)])],
    ["a changed value", signValue("s-1", [newKey]).replace("s-1", "s-2")],
    ["no signature", "s-1"],
    ["nothing", undefined],
  ])("when the cookie has %s, then it is refused", (_what, cookie) => {
    expect(verifySigned(cookie, [newKey, oldKey])).toBeUndefined();
  });

  it("when a Cookie header is read, then values are decoded and a malformed one is skipped", () => {
    const cookies = readCookies("a=1; b=x%20y; c=%E0%A4%A; =d");
    expect(Object.fromEntries(cookies)).toEqual({ a: "1", b: "x y" });
  });
});
