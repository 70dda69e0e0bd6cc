import { createHmac, timingSafeEqual } from "node:crypto";

// HMAC-SHA256 signatures over the exact body bytes, written `sha256=<hex>` in the
// `symbiontsignature` CloudEvent attribute of signed exports. Webhooks, both ways, use the
// timestamped scheme of @symbiont/contracts (webhook-signature.ts) instead.

export function signPayload(body: string | Buffer, key: string): string {
  return `sha256=${createHmac("sha256", key).update(body).digest("hex")}`;
}

/** Constant-time check of a `sha256=<hex>` signature; false for any malformed value. */
export function verifySignature(
  body: string | Buffer,
  signature: string | undefined,
  key: string,
): boolean {
  if (!signature || !/^sha256=[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = Buffer.from(signPayload(body, key).slice("sha256=".length), "hex");
  const given = Buffer.from(signature.slice("sha256=".length).toLowerCase(), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time string comparison (bearer tokens, basic credentials). */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHmac("sha256", "compare").update(given).digest();
  const b = createHmac("sha256", "compare").update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
