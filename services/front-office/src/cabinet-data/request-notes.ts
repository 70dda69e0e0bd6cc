import type { RecordKind } from "./record-store.js";

// The user cabinet notes an order request it sent (record kind `order-request`) so that
// "Your orders" shows it at once; the marketplace's answer settles it: the order placed for
// the request, or the refusal. A settled note is deleted. One that is written after its answer
// has arrived (the answer crossed both buses faster than the cabinet's own write) stays, and
// the page still does not list it: an answered request is never shown as waiting.

export interface RequestNote {
  kind: Extract<RecordKind, "order-request">;
  id: string;
  owners: string[];
}

/** The note an answer settles, if it answers a customer's request made with a request id. */
export function settledRequestNote(answer: {
  requestId?: string | undefined;
  customerId?: string | undefined;
}): RequestNote | undefined {
  if (!answer.requestId || !answer.customerId) return undefined;
  return {
    kind: "order-request",
    id: answer.requestId,
    owners: [`customer:${answer.customerId}`],
  };
}
