import type {
  Fact,
  ItemFact,
  MeetingFact,
  Money,
  OrderFact,
  PaymentFact,
  ProfileFact,
  TaskFact,
} from "./fact.js";

// The running aggregates every report reads, kept in memory and rebuilt from the event log at
// start. Every fold below is commutative and idempotent per fact (newest version wins, earliest
// time wins, sets and integer sums), so applying the same facts in any order gives the same
// state: a rebuild from scratch, or a replay in another order, gives the same figures.

export interface FirstTouch {
  at: number;
  channel: string;
  touchpointId: string;
}

type DetailField = "customerId" | "channel" | "itemIds" | "categories" | "total";

export interface OrderEntity {
  orderId: string;
  createdAt: number;
  status: string;
  statusAt: number;
  paidAt?: number;
  refundedAt?: number;
  /** When each detail was told: the earliest telling holds. */
  detailsAt: Partial<Record<DetailField, number>>;
  customerId?: string;
  channel?: string;
  itemIds: string[];
  categories: string[];
  total?: Money;
}

export interface PaymentEntity {
  paymentKey: string;
  direction: "in" | "out";
  at: number;
  orderId?: string;
  amount?: Money;
}

export interface TaskEntity {
  taskId: string;
  assignee: string;
  assigneeAt: number;
  createdAt?: number;
  completedAt?: number;
  overdueAt?: number;
  dueAt?: number;
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

const minOf = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

// A status that ends an order wins a tie at the same millisecond.
const statusRank: Record<string, number> = {
  created: 0,
  paid: 1,
  fulfilled: 2,
  cancelled: 3,
  refunded: 4,
};

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
  /** Profile ids merged into each survivor (by a merge or a merged profile's own version). */
  readonly absorbedBy = new Map<string, Set<string>>();
  /** Events applied, by topic: what analytics has collected. */
  readonly eventsByTopic = new Map<string, number>();
  /** Grows with every applied fact: derived indexes and cached reports compare it. */
  revision = 0;
  facts = 0;

  /** Counts one applied event (its facts are applied one by one). */
  countEvent(topic: string): void {
    this.eventsByTopic.set(topic, (this.eventsByTopic.get(topic) ?? 0) + 1);
  }

  apply(fact: Fact): void {
    this.revision++;
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
        )
          this.profiles.set(fact.profileId, fact);
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
      case "order":
        this.applyOrder(fact);
        return;
      case "payment":
        this.applyPayment(fact);
        return;
      case "task":
        this.applyTask(fact);
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

  private applyOrder(fact: OrderFact): void {
    const order: OrderEntity = this.orders.get(fact.orderId) ?? {
      orderId: fact.orderId,
      createdAt: fact.at,
      status: fact.status,
      statusAt: fact.at,
      itemIds: [],
      categories: [],
      detailsAt: {},
    };
    order.createdAt = Math.min(order.createdAt, fact.at);
    if (fact.customerId !== undefined) addTo(this.ordersByCustomer, fact.customerId, fact.orderId);
    const rank = (status: string) => statusRank[status] ?? 0;
    if (
      fact.at > order.statusAt ||
      (fact.at === order.statusAt && rank(fact.status) > rank(order.status))
    ) {
      order.status = fact.status;
      order.statusAt = fact.at;
    }
    if (fact.status === "paid") order.paidAt = minOf(order.paidAt, fact.at);
    if (fact.status === "refunded") order.refundedAt = minOf(order.refundedAt, fact.at);
    // Each detail comes from the earliest fact that carried it (normally `order.created`).
    const details = order.detailsAt;
    const take = <K extends DetailField>(field: K, value: OrderEntity[K] | undefined) => {
      if (value === undefined || (Array.isArray(value) && value.length === 0)) return;
      const known = details[field];
      if (known === undefined || fact.at < known) {
        details[field] = fact.at;
        order[field] = value;
      }
    };
    take("customerId", fact.customerId);
    take("channel", fact.channel);
    take("itemIds", fact.itemIds);
    take("categories", fact.categories);
    take("total", fact.total);
    this.orders.set(fact.orderId, order);
  }

  private applyPayment(fact: PaymentFact): void {
    const known = this.payments.get(fact.paymentKey);
    if (!known) {
      this.payments.set(fact.paymentKey, { ...fact });
      return;
    }
    // The same payment told twice (by the acquirer and by the order): the earliest report holds.
    if (fact.at < known.at || (fact.at === known.at && known.amount === undefined)) {
      known.at = fact.at;
      known.amount = fact.amount ?? known.amount;
      known.orderId = fact.orderId ?? known.orderId;
    } else {
      known.amount ??= fact.amount;
      known.orderId ??= fact.orderId;
    }
  }

  private applyTask(fact: TaskFact): void {
    const task: TaskEntity = this.tasks.get(fact.taskId) ?? {
      taskId: fact.taskId,
      assignee: fact.assignee,
      assigneeAt: fact.at,
    };
    if (
      fact.at > task.assigneeAt ||
      (fact.at === task.assigneeAt && fact.assignee > task.assignee)
    ) {
      task.assignee = fact.assignee;
      task.assigneeAt = fact.at;
    }
    if (fact.change === "created") task.createdAt = minOf(task.createdAt, fact.at);
    if (fact.change === "completed") task.completedAt = minOf(task.completedAt, fact.at);
    if (fact.change === "overdue") task.overdueAt = minOf(task.overdueAt, fact.at);
    task.dueAt = minOf(task.dueAt, fact.dueAt);
    this.tasks.set(fact.taskId, task);
  }
}
