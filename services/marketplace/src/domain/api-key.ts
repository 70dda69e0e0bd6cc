import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Partner API keys: `mpk_<keyId>_<secret>`. The key id (12 hex characters) finds the stored
// key; the secret (32 random bytes) is shown once and stored only as its SHA-256. A slow
// hash (scrypt) protects guessable passwords; a 256-bit random secret cannot be guessed, so
// one SHA-256 is enough and keeps every API call cheap.

export interface IssuedKey {
  keyId: string;
  /** The whole key, to show once. */
  token: string;
  /** What is stored. */
  hash: string;
}

const tokenPattern = /^mpk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function issueKey(random: (size: number) => Buffer = randomBytes): IssuedKey {
  const keyId = random(6).toString("hex");
  const secret = random(32).toString("base64url");
  return { keyId, token: `mpk_${keyId}_${secret}`, hash: hashSecret(secret) };
}

/** The key id and secret of a well-formed key, or undefined. */
export function parseKey(token: string): { keyId: string; secret: string } | undefined {
  const match = tokenPattern.exec(token);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}
