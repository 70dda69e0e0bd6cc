import type { AnalyticsState } from "./analytics-state.js";
import type { ProfileFact } from "./fact.js";
import { profileIdsOf } from "./resolve-person.js";

/** What the next-offer rules see of one person. */
export interface CustomerView {
  customerId: string;
  profile: ProfileFact;
  /** Catalog categories of the items the person is interested in. */
  interests: Set<string>;
  /** Categories bought (paid, not refunded), with the time of the latest purchase. */
  purchases: Map<string, number>;
}

/** The person's view, or undefined when CRM holds no active profile for them. */
export function customerView(state: AnalyticsState, customerId: string): CustomerView | undefined {
  const profile = state.profiles.get(customerId);
  if (!profile || profile.status !== "active") return undefined;
  const ids = profileIdsOf(state, customerId);
  const interests = new Set<string>();
  const purchases = new Map<string, number>();
  const categoryOf = (itemId: string) => state.items.get(itemId)?.category;
  for (const id of ids) {
    for (const itemId of state.profiles.get(id)?.interests ?? []) {
      const category = categoryOf(itemId);
      if (category) interests.add(category);
    }
    for (const orderId of state.ordersByCustomer.get(id) ?? []) {
      const order = state.orders.get(orderId);
      if (!order || order.customerId !== id || order.paidAt === undefined) continue;
      if (order.refundedAt !== undefined) continue;
      const categories = new Set(order.categories);
      for (const itemId of order.itemIds) {
        const category = categoryOf(itemId);
        if (category) categories.add(category);
      }
      for (const category of categories)
        purchases.set(category, Math.max(purchases.get(category) ?? 0, order.paidAt));
    }
  }
  return { customerId, profile, interests, purchases };
}
