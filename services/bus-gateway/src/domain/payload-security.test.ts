import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";
import { parseJsonPath, redactPayload } from "./redact-payload.js";
import { safeEqual, signPayload, verifySignature } from "./sign-payload.js";

const order = {
  id: "o-1",
  customer: { email: "ann@example.com", phone: "+15550001234", name: "Ann" },
  items: [
    { sku: "a", card: "4111111111111111" },
    { sku: "b", card: "5500000000000004" },
  ],
};

describe("redaction", () => {
  it.each([
    [
      "$.customer.email",
      "remove",
      (p: typeof order) => expect(p.customer).not.toHaveProperty("email"),
    ],
    [
      "$.customer.phone",
      "mask",
      (p: typeof order) => expect(p.customer.phone).toBe("**********34"),
    ],
    [
      "$.items[*].card",
      "mask",
      (p: typeof order) =>
        expect(p.items.map((i) => i.card)).toEqual(["**************11", "**************04"]),
    ],
    ["$.items[0]", "remove", (p: typeof order) => expect(p.items[0]).toBeNull()],
    ["$.missing.field", "remove", (p: typeof order) => expect(p).toEqual(order)],
  ] as const)("when the rule is %s (%s), then only that path changes", (path, action, check) => {
    const redacted = redactPayload(order, [{ path, action }]) as typeof order;
    check(redacted);
    expect(order.customer.email).toBe("ann@example.com");
  });

  it.each(["customer.email", "$", "$..email", "$.a[b]"])(
    "when the path is %s, then it is refused",
    (path) => {
      expect(() => parseJsonPath(path)).toThrow(/unsupported JSON path/);
    },
  );
});

describe("signatures", () => {
  it("when the body is unchanged, then the signature verifies; any change or another key fails", () => {
    const body = JSON.stringify(order);
    const signature = signPayload(body, "k1");
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(body, signature, "k1")).toBe(true);
    expect(verifySignature(`${body} `, signature, "k1")).toBe(false);
    expect(verifySignature(body, signature, "k2")).toBe(false);
    expect(verifySignature(body, "sha256=zz", "k1")).toBe(false);
    expect(verifySignature(body, undefined, "k1")).toBe(false);
  });

  it("when tokens are compared, then only equal strings match", () => {
    expect(safeEqual("Bearer abc", "Bearer abc")).toBe(true);
    expect(safeEqual("Bearer abd", "Bearer abc")).toBe(false);
    expect(safeEqual("", "Bearer abc")).toBe(false);
  });

  it("when keys come in another order, then the canonical JSON is the same", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});
