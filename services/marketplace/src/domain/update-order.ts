import { AppError } from "@symbiont/service-kit";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import type { Order } from "./order.js";
import { unknownOrder } from "./refusal.js";

/**
 * Reads the order, lets `change` decide (a new order, or undefined for "nothing to do"),
 * and writes it at the version read; when someone else wrote meanwhile, it reads again and
 * `change` decides again. Answers the order as written (or as found) and whether it changed.
 */
export async function updateOrder(
  deps: MarketplaceDeps,
  orderId: string,
  change: (order: Order) => Order | undefined,
  field?: string,
): Promise<{ order: Order; changed: boolean }> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await deps.orders.find(orderId);
    if (!current) throw unknownOrder(orderId, field);
    const next = change(current);
    if (!next) return { order: current, changed: false };
    if (await deps.orders.replaceIfVersion(next, current.version))
      return { order: next, changed: true };
  }
  throw new AppError({
    status: 503,
    code: "Busy",
    message: `order ${orderId} keeps changing; try again`,
  });
}
