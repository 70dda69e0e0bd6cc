import type { Outbox } from "@symbiont/service-kit";
import { suggestionIdOf, type OfferStore, type Suggestion } from "../data/offer-store.js";
import { offerSuggested } from "../events/published-topics.js";
import type { AnalyticsState } from "./analytics-state.js";
import { customerView } from "./customer-view.js";
import type { Fact } from "./fact.js";
import { matchOffers } from "./match-offers.js";
import type { OfferRule } from "./offer-rule.js";
import { resolvePerson } from "./resolve-person.js";

export interface SuggestDeps {
  offers: OfferStore;
  outbox: Outbox;
  /** Suggestions made so far (`<customerId>:<rule>`), kept in step with the store. */
  suggested: Set<string>;
}

/** The people whose next offer may change with these facts. */
export function peopleTouched(state: AnalyticsState, facts: readonly Fact[]): Set<string> {
  const touched = new Set<string>();
  const add = (id: string | undefined) => {
    if (id !== undefined) touched.add(resolvePerson(state, id));
  };
  for (const fact of facts) {
    if (fact.kind === "profile") add(fact.profileId);
    else if (fact.kind === "merge") add(fact.survivorId);
    else if (fact.kind === "order")
      add(fact.customerId ?? state.orders.get(fact.orderId)?.customerId);
    else if (fact.kind === "payment" && fact.orderId !== undefined)
      add(state.orders.get(fact.orderId)?.customerId);
  }
  return touched;
}

/**
 * Publishes `offer.suggested` for every rule a touched person matches now and was not
 * suggested before. The event goes to the outbox first (its id is stable per person and
 * rule), then the suggestion is recorded: a crash between the two sends the same event again,
 * which subscribers recognise by its id.
 */
export async function suggestOffers(
  deps: SuggestDeps,
  state: AnalyticsState,
  rules: readonly OfferRule[],
  people: Iterable<string>,
  nowMs: number,
): Promise<Suggestion[]> {
  const fresh: Suggestion[] = [];
  const suggestedAt = new Date(nowMs).toISOString();
  for (const person of people) {
    const view = customerView(state, person);
    if (!view) continue;
    for (const match of matchOffers(view, rules, nowMs)) {
      const suggestionId = suggestionIdOf(person, match.rule);
      if (deps.suggested.has(suggestionId)) continue;
      fresh.push({ suggestionId, customerId: person, suggestedAt, ...match });
    }
  }
  if (fresh.length === 0) return fresh;
  await deps.outbox.send(
    fresh.map((s) =>
      offerSuggested({
        suggestionId: s.suggestionId,
        customerId: s.customerId,
        rule: s.rule,
        offer: s.offer,
        reason: s.reason,
        suggestedAt: s.suggestedAt,
      }),
    ),
  );
  await deps.offers.recordSuggestions(fresh);
  for (const s of fresh) deps.suggested.add(s.suggestionId);
  return fresh;
}
