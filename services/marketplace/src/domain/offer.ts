import type { OfferStatus, OfferTerms } from "@symbiont/contracts";

// An offer: a partner's service in the domain's own unit ("cleaning of common areas, per
// flat per month"; "delivery"), its price per unit and the SLA it promises.

// The terms are the contract with the partner cabinet (@symbiont/contracts).
export {
  offerStatuses,
  offerTermsSchema,
  slaSchema,
  type Money,
  type OfferStatus,
  type OfferTerms,
  type Sla,
} from "@symbiont/contracts";

export interface Offer extends OfferTerms {
  id: string;
  partnerId: string;
  status: OfferStatus;
  /** Why it is suspended: the rule a newer rulebook says it breaks. */
  suspendedBy?: string;
  /** The rulebook version the terms were last checked against. */
  rulesVersion: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}
