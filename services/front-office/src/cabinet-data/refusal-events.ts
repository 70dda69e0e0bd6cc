import {
  requestRefusedSchema,
  requestRefusedTopic,
  type RefusedRequestKind,
  type RequestRefused,
} from "@symbiont/contracts";
import type { RecordStore, RecordUpdate, StoredRecord } from "./record-store.js";

// The marketplace's answer when it refuses what a cabinet asked of it
// (`marketplace.request.refused`, the contract in @symbiont/contracts, exported by the route
// `marketplace-request-refusals-out`): kept per person, so the user cabinet shows a refused
// order request and the partner cabinet a refused offer edit or order move, with the reason.

export { requestRefusedSchema, requestRefusedTopic };

/** A refused request as the cabinets show it. */
export interface RefusedRequest {
  eventId: string;
  request: RefusedRequestKind;
  requestId?: string;
  offerId?: string;
  orderId?: string;
  quantity?: number;
  transition?: string;
  /** The marketplace's error code: what kind of refusal it was. */
  code: string;
  reason: string;
  rule?: string;
  refusedAt: string;
}

function refusalRecord(data: RequestRefused, owner: string): RecordUpdate {
  const { customerId: _customer, partnerId: _partner, ...shown } = data;
  return { kind: "refusal", id: data.eventId, owners: [owner], facts: shown };
}

/** A customer's refused order request, for the user cabinet (a partner's: not kept there). */
export const customerRefusalRecord = (data: RequestRefused): RecordUpdate | undefined =>
  data.customerId ? refusalRecord(data, `customer:${data.customerId}`) : undefined;

/** A partner's refused offer edit or order move, for the partner cabinet. */
export const partnerRefusalRecord = (data: RequestRefused): RecordUpdate | undefined =>
  data.partnerId ? refusalRecord(data, `partner:${data.partnerId}`) : undefined;

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

function toRefusedRequest({ id, facts }: StoredRecord): RefusedRequest {
  const refused: RefusedRequest = {
    eventId: id,
    request: facts.request as RefusedRequestKind,
    code: text(facts.code) ?? "",
    reason: text(facts.reason) ?? "",
    refusedAt: text(facts.refusedAt) ?? "",
  };
  for (const name of ["requestId", "offerId", "orderId", "transition", "rule"] as const) {
    const value = text(facts[name]);
    if (value !== undefined) refused[name] = value;
  }
  if (typeof facts.quantity === "number") refused.quantity = facts.quantity;
  return refused;
}

/** Their refused requests of these kinds (`all`: everyone's, a manager's view), newest first. */
export async function refusedRequests(
  records: RecordStore,
  owners: string[] | "all",
  kinds: readonly RefusedRequestKind[],
): Promise<RefusedRequest[]> {
  if (owners !== "all" && owners.length === 0) return [];
  const stored =
    owners === "all" ? await records.listAll("refusal") : await records.listFor("refusal", owners);
  return stored
    .map(toRefusedRequest)
    .filter((r) => kinds.includes(r.request))
    .sort((a, b) => b.refusedAt.localeCompare(a.refusedAt));
}
