import type { Money } from "./fact.js";

// Running totals per UTC day, kept as payments and paid orders are folded: reports over long
// periods add up at most one entry per day instead of visiting every payment. A payment told
// again (an earlier report, another amount) moves its contribution: the old one is taken out,
// the new one put in, so the totals always equal a sum over the current entities.

export interface DayCash {
  inflow: number;
  outflow: number;
  payments: number;
  refunds: number;
}

export interface CashContribution {
  day: number;
  direction: "in" | "out";
  amount: Money;
}

export class DailyTotals {
  /** Minor units per currency and day. */
  readonly cash = new Map<string, Map<number, DayCash>>();
  /** Orders paid per day. */
  readonly paidOrders = new Map<number, number>();

  moveCash(from: CashContribution | undefined, to: CashContribution | undefined): void {
    if (from) this.addCash(from, -1);
    if (to) this.addCash(to, 1);
  }

  movePaidOrder(fromDay: number | undefined, toDay: number | undefined): void {
    if (fromDay === toDay) return;
    if (fromDay !== undefined)
      this.paidOrders.set(fromDay, (this.paidOrders.get(fromDay) ?? 0) - 1);
    if (toDay !== undefined) this.paidOrders.set(toDay, (this.paidOrders.get(toDay) ?? 0) + 1);
  }

  private addCash({ day, direction, amount }: CashContribution, sign: 1 | -1): void {
    let days = this.cash.get(amount.currency);
    if (!days) this.cash.set(amount.currency, (days = new Map()));
    const entry = days.get(day) ?? { inflow: 0, outflow: 0, payments: 0, refunds: 0 };
    if (direction === "in") {
      entry.inflow += sign * amount.minor;
      entry.payments += sign;
    } else {
      entry.outflow += sign * amount.minor;
      entry.refunds += sign;
    }
    days.set(day, entry);
  }
}
