import { createHash } from "node:crypto";

/**
 * The order id of a request: a name-based UUID (version 5 layout) of the caller's request
 * id, so the same request placed twice, by API or over the bus, finds the same order.
 */
export function orderIdFor(requestId: string): string {
  const bytes = createHash("sha256")
    .update(`marketplace-order:${requestId}`)
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
