import type { AnalyticsState } from "./analytics-state.js";
import { peopleIndex } from "./people-index.js";
import { inWindow, major, windowLabel, type ReportWindow } from "./report-window.js";

export interface ChannelRow {
  channel: string;
  orders: number;
  paid: number;
  /** Paid orders' totals in the report's currency. */
  revenue: number;
  conversion: number;
}

export interface DealsByChannelReport {
  report: "deals-by-channel";
  from: string;
  to: string;
  currency: string;
  rows: ChannelRow[];
}

/**
 * Orders created in the window by the channel that brought them: the order's own channel
 * when it names one, else the channel of the customer's first touchpoint (first-touch
 * attribution), else "unknown".
 */
export function dealsByChannel(state: AnalyticsState, window: ReportWindow): DealsByChannelReport {
  const people = peopleIndex(state);
  const firstTouches = people.firstTouches();
  const rows = new Map<string, { orders: number; paid: number; revenue: number }>();
  for (const order of state.orders.values()) {
    if (!inWindow(window, order.createdAt)) continue;
    const person = order.customerId === undefined ? undefined : people.person(order.customerId);
    const channel =
      order.channel ?? (person ? firstTouches.get(person)?.channel : undefined) ?? "unknown";
    const row = rows.get(channel) ?? { orders: 0, paid: 0, revenue: 0 };
    row.orders++;
    if (order.paidAt !== undefined) {
      row.paid++;
      if (order.total?.currency === window.currency) row.revenue += order.total.minor;
    }
    rows.set(channel, row);
  }
  return {
    report: "deals-by-channel",
    ...windowLabel(window),
    currency: window.currency,
    rows: [...rows]
      .map(([channel, row]) => ({
        channel,
        orders: row.orders,
        paid: row.paid,
        revenue: major(row.revenue),
        conversion: row.orders === 0 ? 0 : Math.round((row.paid / row.orders) * 1000) / 1000,
      }))
      .sort((a, b) => b.orders - a.orders || a.channel.localeCompare(b.channel)),
  };
}
