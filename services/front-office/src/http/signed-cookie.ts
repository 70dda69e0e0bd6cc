import { createHmac, timingSafeEqual } from "node:crypto";

// Cookie values signed with HMAC-SHA256 under a list of keys: the first signs, every one
// verifies, so keys rotate without signing anyone out.

export function signValue(value: string, keys: string[]): string {
  return `${value}.${mac(value, keys[0]!)}`;
}

/** The value when its signature is one of the keys'; undefined when forged or malformed. */
export function verifySigned(signed: string | undefined, keys: string[]): string | undefined {
  if (!signed) return undefined;
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1));
  for (const key of keys) {
    const expected = Buffer.from(mac(value, key));
    if (expected.length === given.length && timingSafeEqual(expected, given)) return value;
  }
  return undefined;
}

function mac(value: string, key: string): string {
  return createHmac("sha256", key).update(value).digest("base64url");
}

/** Cookies of a request, as a map (no dependency for a header this simple). */
export function readCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    const name = part.slice(0, Math.max(eq, 0)).trim();
    if (!name) continue;
    try {
      cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // a malformed cookie is ignored
    }
  }
  return cookies;
}
