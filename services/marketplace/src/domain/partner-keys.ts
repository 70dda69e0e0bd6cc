import { AppError } from "@symbiont/service-kit";
import type { StoredKey } from "../data/key-store.js";
import { issueKey, parseKey, secretMatches } from "./api-key.js";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import type { Partner } from "./partner.js";
import { unknownPartner } from "./refusal.js";

// Issuing, rotating, revoking and checking partner API keys. A rotation issues a new key and
// lets the others work on for an overlap, so a partner can switch its systems without a
// gap; after it they are refused like any unknown key.

export interface KeyView {
  keyId: string;
  createdAt: string;
  expiresAt?: string;
  revoked?: boolean;
}

function view(key: StoredKey): KeyView {
  const { hash: _hash, partnerId: _partner, ...rest } = key;
  return rest;
}

function unauthorized(message: string): AppError {
  return new AppError({ status: 401, code: "Unauthorized", message });
}

/** A new key for the partner; the returned token is the only time it is shown. */
export async function issuePartnerKey(
  deps: MarketplaceDeps,
  partnerId: string,
): Promise<KeyView & { token: string }> {
  const issued = issueKey();
  const key: StoredKey = {
    keyId: issued.keyId,
    partnerId,
    hash: issued.hash,
    createdAt: deps.now().toISOString(),
  };
  await deps.keys.insert(key);
  return { ...view(key), token: issued.token };
}

/**
 * Issues a new key; every other key still working stops `overlapSeconds` from now (or
 * earlier, if it would anyway). Answers the new key and what became of the others.
 */
export async function rotatePartnerKeys(
  deps: MarketplaceDeps,
  partnerId: string,
  overlapSeconds = deps.keyOverlapSeconds,
): Promise<{ key: KeyView & { token: string }; previous: KeyView[] }> {
  if (!(await deps.partners.find(partnerId))) throw unknownPartner(partnerId);
  const now = deps.now();
  const until = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
  const others = await deps.keys.listFor(partnerId);
  const key = await issuePartnerKey(deps, partnerId);
  const previous: KeyView[] = [];
  for (const other of others) {
    if (other.expiresAt !== undefined && other.expiresAt <= until) {
      previous.push(view(other));
      continue;
    }
    await deps.keys.expire(other.keyId, until);
    previous.push(view({ ...other, expiresAt: until }));
  }
  deps.logger.info({ partnerId, keyId: key.keyId, overlapSeconds }, "partner key rotated");
  return { key, previous };
}

/** Stops a key at once. */
export async function revokePartnerKey(
  deps: MarketplaceDeps,
  partnerId: string,
  keyId: string,
): Promise<KeyView> {
  const key = await deps.keys.find(keyId);
  if (!key || key.partnerId !== partnerId)
    throw new AppError({
      status: 404,
      code: "NotFound",
      message: `partner ${partnerId} has no key ${keyId}`,
    });
  const at = deps.now().toISOString();
  await deps.keys.expire(keyId, at, true);
  return view({ ...key, expiresAt: at, revoked: true });
}

export async function listPartnerKeys(
  deps: MarketplaceDeps,
  partnerId: string,
): Promise<KeyView[]> {
  if (!(await deps.partners.find(partnerId))) throw unknownPartner(partnerId);
  return (await deps.keys.listFor(partnerId)).map(view);
}

/**
 * The partner a presented key belongs to. 401 for a missing, malformed, unknown, wrong,
 * expired (rotated out) or revoked key; 403 when the key is good but its partner is suspended.
 */
export async function authenticatePartner(
  deps: MarketplaceDeps,
  token: string | undefined,
): Promise<{ partner: Partner; keyId: string }> {
  if (!token) throw unauthorized("an API key is required: Authorization: Bearer mpk_...");
  const parsed = parseKey(token);
  if (!parsed) throw unauthorized("the API key is malformed");
  const key = await deps.keys.find(parsed.keyId);
  if (!key || !secretMatches(parsed.secret, key.hash))
    throw unauthorized("the API key is not valid");
  if (key.expiresAt !== undefined && key.expiresAt <= deps.now().toISOString())
    throw unauthorized(
      `the API key ${key.keyId} ${key.revoked ? "was revoked" : "was rotated out"} at ${key.expiresAt}`,
    );
  const partner = await deps.partners.find(key.partnerId);
  if (!partner) throw unauthorized("the API key is not valid");
  if (partner.status !== "active")
    throw new AppError({
      status: 403,
      code: "PartnerSuspended",
      message: `partner ${partner.id} is suspended`,
    });
  return { partner, keyId: key.keyId };
}
