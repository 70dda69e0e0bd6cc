import { createHash } from "node:crypto";

/**
 * The order id of a customer's request: a name-based UUID (version 5 layout) of the customer
 * and the request id the customer chose, so the same request placed twice, by API or over the
 * bus, finds the same order, and two customers who chose the same request id get an order
 * each.
 */
export function orderIdFor(customerId: string, requestId: string): string {
  return nameBasedUuid(`marketplace-order:${JSON.stringify([customerId, requestId])}`);
}

/**
 * The id an order got before the customer was part of it (from the request id alone): a
 * request placed then and delivered again now must find that order, not place another.
 */
export function earlierOrderIdFor(requestId: string): string {
  return nameBasedUuid(`marketplace-order:${requestId}`);
}

function nameBasedUuid(name: string): string {
  const bytes = createHash("sha256").update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
