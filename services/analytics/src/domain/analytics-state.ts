import {
  foldOrder,
  foldPayment,
  foldTask,
  type OrderEntity,
  type PaymentEntity,
  type TaskEntity,
} from "./entity-folds.js";
import { DailyTotals, type CashContribution } from "./daily-totals.js";
import type { Fact, ItemFact, MeetingFact, ProfileFact } from "./fact.js";

export type { OrderEntity, PaymentEntity, TaskEntity } from "./entity-folds.js";

// The running aggregates every report reads, kept in memory and rebuilt from the event log at
// start. Every fold below is commutative (newest version wins, earliest time wins, sets and
// integer sums), so applying the same facts in any order gives the same state: a rebuild from
// scratch, or a replay in another order, gives the same figures. Entities also absorb a fact
// told twice; the counts rely on each event being applied once (the log knows every id).

export interface FirstTouch {
  at: number;
  channel: string;
  touchpointId: string;
}

export interface KpiValue {
  value: number;
  at: number;
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key);
  if (set) set.add(value);
  else index.set(key, new Set([value]));
}

export type DataScope = "people" | "orders" | "meetings" | "money" | "tasks" | "catalog";

const scopeOf: Record<Fact["kind"], DataScope> = {
  item: "catalog",
  profile: "people",
  merge: "people",
  touchpoint: "people",
  meeting: "meetings",
  order: "orders",
  payment: "money",
  task: "tasks",
  kpi: "tasks",
};

const dayOf = (atMs: number | undefined) =>
  atMs === undefined ? undefined : Math.floor(atMs / 86_400_000);

function contribution(payment: PaymentEntity): CashContribution {
  return { day: dayOf(payment.at)!, direction: payment.direction, amount: { ...payment.amount } };
}

export class AnalyticsState {
  readonly items = new Map<string, ItemFact>();
  readonly profiles = new Map<string, ProfileFact>();
  readonly aliases = new Map<string, { survivorId: string; at: number }>();
  readonly firstTouch = new Map<string, FirstTouch>();
  /** Touchpoints per UTC day and channel. */
  readonly touchpointsByDay = new Map<number, Map<string, number>>();
  readonly meetings = new Map<string, MeetingFact>();
  readonly orders = new Map<string, OrderEntity>();
  readonly payments = new Map<string, PaymentEntity>();
  readonly tasks = new Map<string, TaskEntity>();
  readonly kpis = new Map<string, Map<string, KpiValue>>();
  /** Orders by the customer id they were placed under (any id an order was told with). */
  readonly ordersByCustomer = new Map<string, Set<string>>();
  /** The profiles whose current version holds each identity key. */
  readonly keyHolders = new Map<string, Set<string>>();
  /** Profile ids merged into each survivor (by a merge or a merged profile's own version). */
  readonly absorbedBy = new Map<string, Set<string>>();
  /** Money and paid orders per day, kept in step with `payments` and `orders`. */
  readonly daily = new DailyTotals();
  /** Events applied, by topic: what analytics has collected. */
  readonly eventsByTopic = new Map<string, number>();
  /** Grows with every applied fact. */
  revision = 0;
  /**
   * Grows with the facts of one kind of data: an index or a cached report that depends only
   * on people (profiles, merges, touchpoints) need not be recomputed when a task arrives.
   */
  readonly revisions: Record<DataScope, number> = {
    people: 0,
    orders: 0,
    meetings: 0,
    money: 0,
    tasks: 0,
    catalog: 0,
  };
  facts = 0;

  /** Counts one applied event (its facts are applied one by one). */
  countEvent(topic: string): void {
    this.eventsByTopic.set(topic, (this.eventsByTopic.get(topic) ?? 0) + 1);
  }

  apply(fact: Fact): void {
    this.revision++;
    this.revisions[scopeOf[fact.kind]]++;
    this.facts++;
    switch (fact.kind) {
      case "item": {
        const known = this.items.get(fact.itemId);
        if (!known || fact.version > known.version) this.items.set(fact.itemId, fact);
        return;
      }
      case "profile": {
        const known = this.profiles.get(fact.profileId);
        if (
          !known ||
          fact.version > known.version ||
          (fact.version === known.version && fact.at > known.at)
        ) {
          this.profiles.set(fact.profileId, fact);
          for (const key of known?.keys ?? []) this.keyHolders.get(key)?.delete(fact.profileId);
          for (const key of fact.keys) addTo(this.keyHolders, key, fact.profileId);
        }
        if (fact.mergedInto !== undefined) addTo(this.absorbedBy, fact.mergedInto, fact.profileId);
        return;
      }
      case "merge":
        for (const absorbedId of fact.absorbedIds) {
          addTo(this.absorbedBy, fact.survivorId, absorbedId);
          const known = this.aliases.get(absorbedId);
          if (
            !known ||
            fact.at > known.at ||
            (fact.at === known.at && fact.survivorId > known.survivorId)
          )
            this.aliases.set(absorbedId, { survivorId: fact.survivorId, at: fact.at });
        }
        return;
      case "touchpoint": {
        for (const key of fact.keys) {
          const known = this.firstTouch.get(key);
          if (
            !known ||
            fact.at < known.at ||
            (fact.at === known.at && fact.touchpointId < known.touchpointId)
          )
            this.firstTouch.set(key, {
              at: fact.at,
              channel: fact.channel,
              touchpointId: fact.touchpointId,
            });
        }
        const day = Math.floor(fact.at / 86_400_000);
        const channels = this.touchpointsByDay.get(day) ?? new Map<string, number>();
        channels.set(fact.channel, (channels.get(fact.channel) ?? 0) + 1);
        this.touchpointsByDay.set(day, channels);
        return;
      }
      case "meeting": {
        const known = this.meetings.get(fact.meetingId);
        if (!known || fact.at < known.at) this.meetings.set(fact.meetingId, fact);
        return;
      }
      case "order": {
        if (fact.customerId !== undefined)
          addTo(this.ordersByCustomer, fact.customerId, fact.orderId);
        const paidBefore = this.orders.get(fact.orderId)?.paidAt;
        const order = foldOrder(this.orders.get(fact.orderId), fact);
        this.orders.set(fact.orderId, order);
        this.daily.movePaidOrder(dayOf(paidBefore), dayOf(order.paidAt));
        return;
      }
      case "payment": {
        const known = this.payments.get(fact.paymentKey);
        const before = known && contribution(known);
        const payment = foldPayment(known, fact);
        this.payments.set(fact.paymentKey, payment);
        this.daily.moveCash(before, contribution(payment));
        return;
      }
      case "task":
        this.tasks.set(fact.taskId, foldTask(this.tasks.get(fact.taskId), fact));
        return;
      case "kpi": {
        const values = this.kpis.get(fact.managerId) ?? new Map<string, KpiValue>();
        for (const [name, value] of Object.entries(fact.values)) {
          const known = values.get(name);
          if (!known || fact.at > known.at || (fact.at === known.at && value > known.value))
            values.set(name, { value, at: fact.at });
        }
        this.kpis.set(fact.managerId, values);
        return;
      }
    }
  }
}
