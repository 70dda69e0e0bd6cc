import type { ActorKind, OrderStatus, TransitionName } from "@symbiont/contracts";

// An order: one customer buying `quantity` units of an offer. The offer's terms are copied
// in when it is placed, so a later change of the offer or of the rules does not change it.

export { orderQuantitySchema as quantitySchema } from "@symbiont/contracts";

export { actorKinds, manualTransitionSchema, type ActorKind } from "@symbiont/contracts";
export interface Actor {
  kind: ActorKind;
  id?: string;
}

export interface OrderStep {
  transition: TransitionName | "place";
  from: OrderStatus | null;
  to: OrderStatus;
  actor: Actor;
  at: string;
  note?: string;
}

export interface OrderPayment {
  paymentId: string;
  /** The CloudEvent that paid it: its redelivery finishes what a crash interrupted. */
  eventId?: string;
  acquirerRef?: string;
  paidAt?: string;
}

export interface OrderRefund {
  refundId: string;
  /** The CloudEvent that brought it (see OrderPayment.eventId). */
  eventId: string;
  amountMinor: number;
  commissionMinor: number;
  at: string;
  reason?: string;
}

export interface Order {
  id: string;
  /** The caller's idempotency key: a repeated request finds the same order. */
  requestId: string;
  customerId: string;
  partnerId: string;
  partnerKind: string;
  offerId: string;
  offerVersion: number;
  title: string;
  category: string;
  unit: string;
  quantity: number;
  currency: string;
  unitPriceMinor: number;
  totalMinor: number;
  commissionRule: string;
  commissionMinor: number;
  responseHours: number;
  completionHours: number;
  note?: string;
  status: OrderStatus;
  payment: OrderPayment;
  refunds: OrderRefund[];
  history: OrderStep[];
  version: number;
  createdAt: string;
  updatedAt: string;
}
