import type { Profile } from "@symbiont/crm";
import type { Item } from "@symbiont/mdm";
import { seededRandom } from "./identity-dataset.js";
import { gaussian } from "./seasonal-series.js";

// A synthetic company's event history, as its modules publish it on the internal bus: the
// catalog (MDM), people with their touchpoints and profiles (channels, CRM), orders paid and
// refunded (marketplace) with the acquirer's own payment reports, meetings, managers' tasks
// and KPI (processes). Orders per day follow a trend, a weekly pattern and noise. The
// generator keeps its own ledger of what happened, so tests compare reports with the truth.
// Events are produced lazily: a million of them never sit in memory at once.

export interface BusEvent {
  id: string;
  topic: string;
  data: unknown;
}

export interface SalesDatasetOptions {
  seed: number;
  /** First day, YYYY-MM-DD. */
  start: string;
  days: number;
  ordersPerDay: number;
  /** Relative growth of daily orders per day (0.002: +0.2 % a day). */
  growthPerDay?: number;
  customers: number;
  managers?: number;
  currency?: string;
}

export interface SalesTruth {
  /** Money in minus refunds, in minor units, per UTC day (YYYY-MM-DD). */
  netMinorByDay: Map<string, number>;
  orders: number;
  paidOrders: number;
  refunds: number;
  events: number;
}

const dayMs = 86_400_000;
const weekly = [1.0, 1.0, 1.2, 1.3, 0.8, 0.8, 0.9]; // Thursday .. Wednesday from epoch day 0
const channels = [
  "site_form",
  "site_form",
  "social",
  "social",
  "phone_call",
  "office_visit",
  "messenger",
];
const catalog: Array<[string, string, number]> = [
  ["Two-room flat, Riverside", "real-estate", 95_000],
  ["Studio, Old Town", "real-estate", 61_000],
  ["Mortgage 20 years", "mortgage", 1_500],
  ["City car, 1.4 l", "car", 14_900],
  ["Family SUV", "car", 27_500],
  ["Turnkey renovation", "renovation", 8_200],
  ["Mortgage refinancing", "refinancing", 900],
  ["Home insurance", "insurance", 350],
  ["Corner sofa", "furniture", 899],
  ["Moving service", "services", 240],
];

/** A stable UUID (version 4 layout) for the n-th item of a seed: MDM's ids are UUIDs. */
function uuidOf(seed: number, n: number): string {
  const hex = (value: number, width: number) =>
    value.toString(16).padStart(width, "0").slice(-width);
  return `${hex(seed, 8)}-${hex(n, 4)}-4000-8000-${hex(seed * 7919 + n, 12)}`;
}

export function salesDataset(options: SalesDatasetOptions): {
  events: Iterable<BusEvent>;
  truth: SalesTruth;
} {
  const truth: SalesTruth = {
    netMinorByDay: new Map(),
    orders: 0,
    paidOrders: 0,
    refunds: 0,
    events: 0,
  };
  return { events: generate(options, truth), truth };
}

function* generate(options: SalesDatasetOptions, truth: SalesTruth): Generator<BusEvent> {
  const random = seededRandom(options.seed);
  const normal = gaussian(random);
  const currency = options.currency ?? "RUB";
  const managers = options.managers ?? 5;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const startMs = Date.parse(`${options.start}T00:00:00Z`);
  const iso = (ms: number) => new Date(ms).toISOString();
  const emit = (topic: string, id: string, data: unknown): BusEvent => {
    truth.events++;
    return { id, topic, data };
  };
  const book = (ms: number, minor: number) => {
    const day = iso(ms).slice(0, 10);
    truth.netMinorByDay.set(day, (truth.netMinorByDay.get(day) ?? 0) + minor);
  };
  const items: Item[] = catalog.map(([name, category, amount], i) => ({
    id: uuidOf(options.seed, i),
    sku: `SKU-${i}`,
    name,
    description: "",
    kind: "good",
    category,
    status: "active",
    price: { amount, currency },
    attributes: {},
    version: 1,
    createdAt: iso(startMs),
    updatedAt: iso(startMs),
  }));
  for (const item of items)
    yield emit("mdm.item.changed", `mdm.item.changed:${item.id}:1`, { change: "created", item });

  const people: string[] = [];
  let taskSerial = 0;
  let orderSerial = 0;
  const refundsDue: Array<{ at: number; event: () => BusEvent[] }> = [];
  for (let d = 0; d < options.days; d++) {
    const dayStart = startMs + d * dayMs;
    const at = () => dayStart + Math.floor(random() * (dayMs - 7_200_000));
    // New people: a touchpoint, then the profile CRM made of it.
    const wanted = Math.ceil((options.customers * (d + 1)) / options.days);
    while (people.length < wanted) {
      const n = people.length;
      const id = `cust-${options.seed}-${n}`;
      const email = `person${n}.s${options.seed}@example.com`;
      const seenAt = at();
      const interests = random() < 0.5 ? [pick(items).id] : [];
      yield emit("touchpoint.recorded", `tp-${options.seed}-${n}`, {
        channel: pick(channels),
        occurredAt: iso(seenAt),
        identity: { email },
        interests,
      });
      const profile: Profile = {
        id,
        status: "active",
        kind: "customer",
        names: [],
        keys: [`email:${email}`, `phone:7900${String(n).padStart(7, "0")}`],
        hints: [],
        consent: {
          email: { granted: random() < 0.7, at: iso(seenAt), source: "site" },
          sms: { granted: random() < 0.5, at: iso(seenAt), source: "site" },
        },
        interests,
        touchpointCount: 1,
        firstSeenAt: iso(seenAt),
        lastSeenAt: iso(seenAt),
        createdAt: iso(seenAt),
        updatedAt: iso(seenAt),
        version: 1,
      };
      yield emit("customer.created", `customer.created:${id}`, { profile });
      if (random() < 0.2)
        yield emit("meeting.booked", `meeting.booked:m-${options.seed}-${n}`, {
          meetingId: `m-${options.seed}-${n}`,
          customerId: id,
          managerId: `manager-${n % managers}`,
          bookedAt: iso(seenAt + 60_000),
        });
      people.push(id);
    }
    // Orders: trend x weekday x noise.
    const base =
      options.ordersPerDay *
      (1 + (options.growthPerDay ?? 0.002) * d) *
      weekly[((Math.floor(dayStart / dayMs) % 7) + 7) % 7]!;
    const count = Math.max(0, Math.round(base + normal() * Math.sqrt(base)));
    for (let k = 0; k < count; k++) {
      const orderId = uuidOf(options.seed, 1_000_000 + ++orderSerial);
      const item = pick(items);
      const customerId = pick(people);
      const createdAt = at();
      const amount = Math.round(item.price!.amount * (0.9 + random() * 0.2) * 100) / 100;
      const commission = Math.round(amount * 10) / 100;
      const sale = {
        orderId,
        partnerId: "partner-1",
        customerId,
        offerId: item.id,
        category: item.category,
        amount,
        currency,
      };
      truth.orders++;
      yield emit("order.created", `order.created:${orderId}`, {
        ...sale,
        requestId: `req-${orderId}`,
        offerVersion: 1,
        title: item.name,
        unit: "item",
        quantity: 1,
        unitPrice: amount,
        commission,
        status: "awaiting_payment",
        createdAt: iso(createdAt),
      });
      if (random() >= 0.85) continue;
      const paidAt = createdAt + Math.floor(random() * 3_600_000);
      const paymentId = `pay-${orderId}`;
      truth.paidOrders++;
      book(paidAt, Math.round(amount * 100));
      // The acquirer reports the payment, and the marketplace the order paid: one payment.
      yield emit("payment.succeeded", `payment.succeeded:${paymentId}`, {
        paymentId,
        orderId,
        amount,
        currency,
        acquirerRef: `acq-${orderId}`,
        paidAt: iso(paidAt),
      });
      yield emit("order.paid", `order.paid:${orderId}`, {
        ...sale,
        paymentId,
        commission,
        partnerPayout: Math.round((amount - commission) * 100) / 100,
        acquirerRef: `acq-${orderId}`,
        paidAt: iso(paidAt),
      });
      if (random() < 0.03) {
        const refundedAt = paidAt + (1 + Math.floor(random() * 4)) * dayMs;
        const refundId = `ref-${orderId}`;
        refundsDue.push({
          at: refundedAt,
          event: () => {
            truth.refunds++;
            book(refundedAt, -Math.round(amount * 100));
            return [
              emit("order.refunded", `order.refunded:${orderId}:${refundId}`, {
                ...sale,
                refundId,
                paymentId,
                commissionReturned: commission,
                refundedTotal: amount,
                fullyRefunded: true,
                refundedAt: iso(refundedAt),
              }),
              emit("payment.refunded", `payment.refunded:${refundId}`, {
                refundId,
                paymentId,
                orderId,
                amount,
                currency,
                refundedAt: iso(refundedAt),
              }),
            ];
          },
        });
      }
    }
    // Refunds due by the end of this day.
    const endOfDay = dayStart + dayMs;
    for (let i = refundsDue.length - 1; i >= 0; i--) {
      if (refundsDue[i]!.at >= endOfDay) continue;
      yield* refundsDue[i]!.event();
      refundsDue.splice(i, 1);
    }
    // Managers' tasks and their weekly KPI.
    for (let m = 0; m < managers; m++) {
      const assignee = `manager-${m}`;
      const taskId = `task-${options.seed}-${++taskSerial}`;
      const createdAt = at();
      const dueAt = createdAt + 2 * dayMs;
      yield emit("task.created", `task.created:${taskId}`, {
        task: { id: taskId, assignee, dueAt: iso(dueAt), createdAt: iso(createdAt) },
      });
      const done = createdAt + Math.floor(random() * 3 * dayMs);
      if (random() < 0.8 && done < startMs + options.days * dayMs)
        yield emit("task.completed", `task.completed:${taskId}`, {
          task: { id: taskId, assignee, dueAt: iso(dueAt), completedAt: iso(done) },
        });
      if (d % 7 === 6)
        yield emit("kpi.manager.updated", `kpi.manager.updated:${assignee}:${options.seed}:${d}`, {
          managerId: assignee,
          tasks: {
            done: 5 + Math.floor(random() * 10),
            overdue: Math.floor(random() * 3),
            open: Math.floor(random() * 5),
          },
          ratings: {
            count: Math.floor(random() * 8),
            average: Math.round((3.5 + random() * 1.5) * 10) / 10,
          },
          revision: d,
          updatedAt: iso(dayStart + dayMs - 1),
        });
    }
  }
}
