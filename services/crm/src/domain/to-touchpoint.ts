import { cookieHint, identityKeys } from "./identity-keys.js";
import type { Touchpoint, TouchpointInput } from "./touchpoint.js";

/**
 * A submitted touchpoint, ready to resolve: its id (the sender's, else `fallbackId`, e.g.
 * the CloudEvent id, so a redelivery is the same touchpoint), its time and normalised keys.
 */
export function toTouchpoint(
  input: TouchpointInput,
  fallbackId: string,
  now: string,
  defaultCountryCode: string,
): Touchpoint {
  const { id, occurredAt, ...rest } = input;
  const hint = cookieHint(input.identity);
  return {
    ...rest,
    id: id ?? fallbackId,
    occurredAt: occurredAt ? new Date(occurredAt).toISOString() : now,
    keys: identityKeys(input.identity, defaultCountryCode),
    ...(hint ? { hint } : {}),
  };
}
