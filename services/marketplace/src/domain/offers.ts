import { AppError, conflict } from "@symbiont/service-kit";
import { offerChanged } from "../events/offer-events.js";
import { findRuleViolation } from "./check-offer.js";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import type { Offer, OfferTerms } from "./offer.js";
import type { Partner } from "./partner.js";
import { notYours, unknownOffer } from "./refusal.js";
import { ruleViolated } from "./rule-violation.js";

// A partner's offers: checked against the rules of the game on every write, versioned,
// announced on the bus (`marketplace.offer.changed`).

function checkTerms(
  deps: MarketplaceDeps,
  partner: Partner,
  terms: OfferTerms,
  fieldPrefix: string,
): number {
  const book = deps.rules.current();
  const violation = findRuleViolation(terms, partner.kind, book);
  if (violation) throw ruleViolated(violation, fieldPrefix);
  return book.version;
}

async function ownOffer(deps: MarketplaceDeps, partner: Partner, offerId: string): Promise<Offer> {
  const offer = await deps.offers.find(offerId);
  if (!offer) throw unknownOffer(offerId);
  if (offer.partnerId !== partner.id) throw notYours(`offer ${offerId}`);
  return offer;
}

export async function createOffer(
  deps: MarketplaceDeps,
  partner: Partner,
  terms: OfferTerms,
  options: { offerId?: string; fieldPrefix?: string } = {},
): Promise<Offer> {
  const rulesVersion = checkTerms(deps, partner, terms, options.fieldPrefix ?? "body");
  const at = deps.now().toISOString();
  const offer: Offer = {
    ...terms,
    id: options.offerId ?? deps.newId(),
    partnerId: partner.id,
    status: "active",
    rulesVersion,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  if (!(await deps.offers.insert(offer))) throw conflict(`offer ${offer.id} exists already`);
  await deps.outbox.send([offerChanged(offer, "created")]);
  return offer;
}

/**
 * New terms for an offer; `expectedVersion` is the version the partner edited (a stale one
 * is refused with 409). A withdrawn or suspended offer that keeps the rules is active again.
 */
export async function updateOffer(
  deps: MarketplaceDeps,
  partner: Partner,
  offerId: string,
  terms: OfferTerms,
  options: { expectedVersion?: number; fieldPrefix?: string } = {},
): Promise<Offer> {
  const current = await ownOffer(deps, partner, offerId);
  const stale = () =>
    conflict(
      `offer ${offerId} is at version ${current.version}, the change was made to version ${options.expectedVersion}`,
      {
        currentVersion: current.version,
      },
    );
  if (options.expectedVersion !== undefined && options.expectedVersion !== current.version)
    throw stale();
  const rulesVersion = checkTerms(deps, partner, terms, options.fieldPrefix ?? "body");
  const { suspendedBy: _suspended, ...rest } = current;
  const offer: Offer = {
    ...rest,
    ...terms,
    status: "active",
    rulesVersion,
    version: current.version + 1,
    updatedAt: deps.now().toISOString(),
  };
  if (!(await deps.offers.replaceIfVersion(offer, current.version))) throw stale();
  await deps.outbox.send([offerChanged(offer, "updated")]);
  return offer;
}

/** The partner cabinet's upsert: the cabinet chose the id, so a repeat is the same offer. */
export async function upsertOffer(
  deps: MarketplaceDeps,
  partner: Partner,
  offerId: string,
  terms: OfferTerms,
  expectedVersion: number | undefined,
): Promise<Offer> {
  const existing = await deps.offers.find(offerId);
  if (!existing) return createOffer(deps, partner, terms, { offerId, fieldPrefix: "event.offer" });
  return updateOffer(deps, partner, offerId, terms, {
    expectedVersion,
    fieldPrefix: "event.offer",
  });
}

export async function withdrawOffer(
  deps: MarketplaceDeps,
  partner: Partner,
  offerId: string,
): Promise<Offer> {
  const current = await ownOffer(deps, partner, offerId);
  if (current.status === "withdrawn") return current;
  const offer: Offer = {
    ...current,
    status: "withdrawn",
    version: current.version + 1,
    updatedAt: deps.now().toISOString(),
  };
  if (!(await deps.offers.replaceIfVersion(offer, current.version)))
    throw conflict(`offer ${offerId} changed meanwhile; read it again`);
  await deps.outbox.send([offerChanged(offer, "withdrawn")]);
  return offer;
}

export async function getOffer(
  deps: MarketplaceDeps,
  offerId: string,
  partner?: Partner,
): Promise<Offer> {
  if (partner) return ownOffer(deps, partner, offerId);
  const offer = await deps.offers.find(offerId);
  if (!offer) throw unknownOffer(offerId);
  return offer;
}

/**
 * After the rules changed: every active offer that breaks the new rulebook is suspended,
 * naming the rule (its partner sees why and can fix the terms). Answers the suspended offers.
 */
export async function suspendOffersBreakingRules(deps: MarketplaceDeps): Promise<Offer[]> {
  const book = deps.rules.current();
  const suspended: Offer[] = [];
  const kinds = new Map<string, string>();
  for (const offer of await deps.offers.list({ status: "active", limit: 100_000 })) {
    if (!kinds.has(offer.partnerId))
      kinds.set(offer.partnerId, (await deps.partners.find(offer.partnerId))?.kind ?? "");
    const violation = findRuleViolation(offer, kinds.get(offer.partnerId)!, book);
    if (!violation) continue;
    const next: Offer = {
      ...offer,
      status: "suspended",
      suspendedBy: violation.rule,
      version: offer.version + 1,
      updatedAt: deps.now().toISOString(),
    };
    // An offer edited meanwhile was checked against the new rules already.
    if (!(await deps.offers.replaceIfVersion(next, offer.version))) continue;
    await deps.outbox.send([offerChanged(next, "suspended")]);
    suspended.push(next);
  }
  return suspended;
}

export function offerNotForSale(offer: Offer, reason: string, field?: string): AppError {
  return new AppError({
    status: 409,
    code: "OfferUnavailable",
    message: `${field ? `${field}: ` : ""}offer ${offer.id} cannot be ordered: ${reason}`,
    ...(field ? { field } : {}),
  });
}
