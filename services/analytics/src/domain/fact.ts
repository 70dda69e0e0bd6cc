// What analytics keeps of the ecosystem's events: one fact per event, normalised from the
// publisher's payload (events/*-events.ts). Times are epoch milliseconds, money is in minor
// units (integers, so sums do not depend on the order they were added in).

export interface Money {
  minor: number;
  currency: string;
}

export interface ItemFact {
  kind: "item";
  itemId: string;
  version: number;
  name: string;
  category: string;
}

export interface ProfileFact {
  kind: "profile";
  profileId: string;
  version: number;
  status: "active" | "merged";
  mergedInto?: string;
  /** Normalised identity keys as CRM writes them (`email:..`, `phone:..`). */
  keys: string[];
  interests: string[];
  consent: { email: boolean; sms: boolean };
  at: number;
}

export interface MergeFact {
  kind: "merge";
  survivorId: string;
  absorbedIds: string[];
  at: number;
}

export interface TouchpointFact {
  kind: "touchpoint";
  touchpointId: string;
  channel: string;
  /** Identity keys (CRM's normalisation), or the cookie hint for an anonymous visitor. */
  keys: string[];
  interests: string[];
  at: number;
}

export interface MeetingFact {
  kind: "meeting";
  meetingId: string;
  customerId?: string;
  keys: string[];
  managerId?: string;
  at: number;
}

/** The marketplace's order statuses (awaiting_payment, paid, accepted, ..., refunded). */
export type OrderStatus = string;

export interface OrderFact {
  kind: "order";
  orderId: string;
  status: OrderStatus;
  customerId?: string;
  channel?: string;
  itemIds: string[];
  categories: string[];
  total?: Money;
  at: number;
}

/** Money that moved: `in` for a payment, `out` for a refund; `paymentKey` is one per payment. */
export interface PaymentFact {
  kind: "payment";
  paymentKey: string;
  direction: "in" | "out";
  orderId?: string;
  amount: Money;
  at: number;
}

export interface TaskFact {
  kind: "task";
  taskId: string;
  assignee: string;
  change: "created" | "completed" | "overdue";
  dueAt?: number;
  at: number;
}

export interface KpiFact {
  kind: "kpi";
  managerId: string;
  values: Record<string, number>;
  at: number;
}

export type Fact =
  | ItemFact
  | ProfileFact
  | MergeFact
  | TouchpointFact
  | MeetingFact
  | OrderFact
  | PaymentFact
  | TaskFact
  | KpiFact;
