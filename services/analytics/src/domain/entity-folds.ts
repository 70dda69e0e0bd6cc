import type { Money, OrderFact, PaymentFact, TaskFact } from "./fact.js";

// How an order, a payment and a task are folded from the facts told about them. Each fold is
// commutative: the earliest telling of a detail holds, the latest status holds (a status that
// ends an order wins a tie), so the entity does not depend on the order the facts came in.

export type DetailField = "customerId" | "channel" | "itemIds" | "categories" | "total";

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
  amount: Money;
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

const minOf = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

// A status that ends an order wins a tie at the same millisecond.
const statusRank: Record<string, number> = {
  awaiting_payment: 0,
  paid: 1,
  accepted: 2,
  in_progress: 3,
  completed: 4,
  declined: 5,
  cancelled: 5,
  refunded: 6,
};

/** An order as told so far, with one more fact about it. */
export function foldOrder(known: OrderEntity | undefined, fact: OrderFact): OrderEntity {
  const order: OrderEntity = known ?? {
    orderId: fact.orderId,
    createdAt: fact.at,
    status: fact.status,
    statusAt: fact.at,
    itemIds: [],
    categories: [],
    detailsAt: {},
  };
  order.createdAt = Math.min(order.createdAt, fact.at);
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
  return order;
}

/** A payment as told so far, with one more report of it. */
export function foldPayment(known: PaymentEntity | undefined, fact: PaymentFact): PaymentEntity {
  if (!known)
    return {
      paymentKey: fact.paymentKey,
      direction: fact.direction,
      at: fact.at,
      amount: fact.amount,
      ...(fact.orderId === undefined ? {} : { orderId: fact.orderId }),
    };
  // The same payment told twice (by the acquirer and by the marketplace): the earliest holds.
  if (fact.at < known.at) {
    known.at = fact.at;
    known.amount = fact.amount;
  }
  known.orderId ??= fact.orderId;
  return known;
}

/** A task as told so far, with one more fact about it. */
export function foldTask(known: TaskEntity | undefined, fact: TaskFact): TaskEntity {
  const task: TaskEntity = known ?? {
    taskId: fact.taskId,
    assignee: fact.assignee,
    assigneeAt: fact.at,
  };
  if (fact.at > task.assigneeAt || (fact.at === task.assigneeAt && fact.assignee > task.assignee)) {
    task.assignee = fact.assignee;
    task.assigneeAt = fact.at;
  }
  if (fact.change === "created") task.createdAt = minOf(task.createdAt, fact.at);
  if (fact.change === "completed") task.completedAt = minOf(task.completedAt, fact.at);
  if (fact.change === "overdue") task.overdueAt = minOf(task.overdueAt, fact.at);
  task.dueAt = minOf(task.dueAt, fact.dueAt);
  return task;
}
