import type { CustomerView } from "./customer-view.js";
import type { OfferRule } from "./offer-rule.js";

export interface OfferMatch {
  rule: string;
  offer: OfferRule["offer"];
  /** Why, in words a manager can read. */
  reason: string;
}

const dayMs = 86_400_000;

/** The enabled rules the person matches now, in the rules' order. */
export function matchOffers(
  view: CustomerView,
  rules: readonly OfferRule[],
  nowMs: number,
): OfferMatch[] {
  const matches: OfferMatch[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const reasons = reasonsToOffer(view, rule, nowMs);
    if (reasons) matches.push({ rule: rule.name, offer: rule.offer, reason: reasons.join("; ") });
  }
  return matches;
}

function reasonsToOffer(view: CustomerView, rule: OfferRule, nowMs: number): string[] | undefined {
  const { when } = rule;
  const reasons: string[] = [];
  if (when.interestedIn) {
    const found = when.interestedIn.find((category) => view.interests.has(category));
    if (!found) return undefined;
    reasons.push(`interested in ${found}`);
  }
  if (when.purchased) {
    const found = when.purchased.find((category) => {
      const at = view.purchases.get(category);
      if (at === undefined) return false;
      const daysAgo = (nowMs - at) / dayMs;
      if (when.purchasedWithinDays !== undefined && daysAgo > when.purchasedWithinDays)
        return false;
      if (when.purchasedAtLeastDaysAgo !== undefined && daysAgo < when.purchasedAtLeastDaysAgo)
        return false;
      return true;
    });
    if (!found) return undefined;
    const daysAgo = Math.max(0, Math.floor((nowMs - view.purchases.get(found)!) / dayMs));
    reasons.push(`bought ${found} ${daysAgo} days ago`);
  }
  for (const category of when.notPurchased ?? []) {
    if (view.purchases.has(category)) return undefined;
  }
  if (when.notPurchased) reasons.push(`no ${when.notPurchased.join(" or ")} bought`);
  return reasons;
}
