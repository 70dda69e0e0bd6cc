import { join } from "node:path";
import { SchemaValidator } from "@symbiont/bus-gateway";
import { requestRefusedSchema } from "@symbiont/contracts";
import {
  offerChangedSchema,
  orderCreatedSchema,
  orderPaidSchema,
  orderRefundedSchema,
  orderRequestedSchema,
  orderStatusChangedSchema,
  partnerUpdatedSchema,
  paymentRefundedSchema,
  paymentRequestedSchema,
  paymentSucceededSchema,
  publishedTopics,
  subscribedTopics,
} from "@symbiont/marketplace";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import { applyTransition } from "../../services/marketplace/src/domain/order-machine.js";
import type { Order } from "../../services/marketplace/src/domain/order.js";
import { offerChanged } from "../../services/marketplace/src/events/offer-events.js";
import {
  orderCreated,
  orderPaid,
  orderRefunded,
  orderStatusChanged,
} from "../../services/marketplace/src/events/order-events.js";
import { paymentRequested } from "../../services/marketplace/src/events/payment-events.js";
import { requestRefused } from "../../services/marketplace/src/events/refusal-events.js";
import { sampleOrder } from "../../services/marketplace/src/testing/sample-order.js";

// The marketplace's BusRoutes in samples/06-routes.yaml against its payload contract
// (services/marketplace/src/events/): the payloads the marketplace and its partners really
// send pass the routes' schemas as the bus gateway checks them, and the routes require
// exactly what the contract requires.

interface BusRoute {
  kind: string;
  metadata: { name: string };
  spec: { topic: string; direction: string; schema: Record<string, unknown> };
}

const routes = (readManifests(join(repoRoot, "samples")) as unknown as BusRoute[]).filter(
  (o) => o.kind === "BusRoute" && o.metadata.name.startsWith("marketplace-"),
);
const validator = new SchemaValidator();
for (const route of routes) validator.add(route.metadata.name, route.spec.schema);
const routeOf = (topic: string) => routes.find((r) => r.spec.topic === topic)!;

const placed = sampleOrder();
const paid: Order = {
  ...applyTransition(placed, "pay", { kind: "acquirer", id: "acq-1" }, "2026-12-01T10:00:05.000Z"),
  payment: {
    ...placed.payment,
    eventId: "payment.succeeded:x",
    acquirerRef: "acq-1",
    paidAt: "2026-12-01T10:00:04.000Z",
  },
};
const refund = {
  refundId: "rf-1",
  eventId: "payment.refunded:rf-1",
  amountMinor: 35_000,
  commissionMinor: 5_250,
  at: "2026-12-02T09:00:00.000Z",
};
const refunded: Order = { ...paid, refunds: [refund] };
const offer = {
  id: placed.offerId,
  partnerId: placed.partnerId,
  title: "Same-day delivery",
  description: "",
  category: "delivery",
  unit: "delivery",
  price: { amount: 350, currency: "RUB" },
  sla: { responseHours: 1, completionHours: 12 },
  status: "active" as const,
  rulesVersion: 1,
  version: 1,
  createdAt: placed.createdAt,
  updatedAt: placed.createdAt,
};

function termsOf(o: typeof offer) {
  const { title, description, category, unit, price, sla } = o;
  return { title, description, category, unit, price, sla };
}

const refusedAt = "2026-12-01T10:00:06.000Z";
const refusals = [
  requestRefused({
    eventId: "marketplace.order.requested:cabinet-request-1",
    topic: "marketplace.order.requested",
    code: "OfferNotForSale",
    reason: "offer is withdrawn",
    at: refusedAt,
    data: { requestId: "cabinet-request-1", offerId: offer.id, customerId: "c-7f3a", quantity: 3 },
  }),
  requestRefused({
    eventId: "marketplace.partner.updated:offer-1",
    topic: "marketplace.partner.updated",
    code: "RuleBroken",
    reason: "a price above the category's ceiling",
    rule: "price-ceiling",
    at: refusedAt,
    data: { action: "offer.upsert", partnerId: offer.partnerId, offerId: offer.id },
  }),
].map((event) => event!.data);

// Topic -> [its contract, payloads as the product builds them (or as the contract parses them)].
const cases: Array<[string, z.ZodType, unknown[]]> = [
  ["order.created", orderCreatedSchema, [orderCreated(placed).data]],
  ["order.status.changed", orderStatusChangedSchema, [orderStatusChanged(paid).data]],
  ["order.paid", orderPaidSchema, [orderPaid(paid).data]],
  ["order.refunded", orderRefundedSchema, [orderRefunded(refunded, refund).data]],
  ["payment.requested", paymentRequestedSchema, [paymentRequested(placed).data]],
  ["marketplace.offer.changed", offerChangedSchema, [offerChanged(offer, "created").data]],
  ["marketplace.request.refused", requestRefusedSchema, refusals],
  [
    "payment.succeeded",
    paymentSucceededSchema,
    [
      paymentSucceededSchema.parse({
        paymentId: placed.payment.paymentId,
        orderId: placed.id,
        amount: 1050,
        currency: "RUB",
        acquirerRef: "acq-1",
        paidAt: "2026-12-01T10:00:04.000Z",
      }),
    ],
  ],
  [
    "payment.refunded",
    paymentRefundedSchema,
    [
      paymentRefundedSchema.parse({
        refundId: "rf-1",
        paymentId: placed.payment.paymentId,
        orderId: placed.id,
        amount: 350,
        currency: "RUB",
        refundedAt: "2026-12-02T09:00:00+03:00",
        reason: "one delivery fewer",
      }),
    ],
  ],
  [
    "marketplace.order.requested",
    orderRequestedSchema,
    [
      orderRequestedSchema.parse({
        requestId: "cabinet-request-1",
        offerId: placed.offerId,
        customerId: "c-7f3a",
        quantity: 3,
        note: "entrance 2",
      }),
    ],
  ],
  [
    "marketplace.partner.updated",
    partnerUpdatedSchema,
    [
      {
        action: "offer.upsert",
        partnerId: offer.partnerId,
        offerId: offer.id,
        offer: termsOf(offer),
      },
      { action: "offer.withdraw", partnerId: offer.partnerId, offerId: offer.id },
      {
        action: "order.transition",
        partnerId: offer.partnerId,
        orderId: placed.id,
        transition: "accept",
      },
    ].map((update) => partnerUpdatedSchema.parse(update)),
  ],
];

describe("the marketplace's sample BusRoutes", () => {
  it("when the marketplace's topics are listed, then each has exactly one route, exports out and imports in", () => {
    for (const topic of publishedTopics)
      expect(routes.filter((r) => r.spec.topic === topic).map((r) => r.spec.direction)).toEqual([
        "export",
      ]);
    for (const topic of subscribedTopics)
      expect(routes.filter((r) => r.spec.topic === topic).map((r) => r.spec.direction)).toEqual([
        "import",
      ]);
    expect(routes).toHaveLength(publishedTopics.length + subscribedTopics.length);
  });

  it.each(cases)(
    "when a real %s payload crosses, then the gateway's check of the sample route accepts it",
    (topic, schema, payloads) => {
      for (const payload of payloads) {
        expect(schema.safeParse(payload).success).toBe(true);
        expect(validator.validate(routeOf(topic).metadata.name, payload)).toEqual({ ok: true });
      }
    },
  );

  it.each(cases)(
    "when %s misses a field the contract requires, then the route refuses it too",
    (topic, schema, payloads) => {
      const payload = payloads[0] as Record<string, unknown>;
      const required = routeOf(topic).spec.schema.required as string[];
      for (const field of required) {
        const { [field]: _dropped, ...rest } = payload;
        expect(schema.safeParse(rest).success, `${topic} without ${field}: the contract`).toBe(
          false,
        );
        expect(
          validator.validate(routeOf(topic).metadata.name, rest).ok,
          `${topic} without ${field}: the route`,
        ).toBe(false);
      }
    },
  );

  it("when a refusal's answer names both owners or neither, then the route refuses it as the contract does", () => {
    const route = routeOf("marketplace.request.refused").metadata.name;
    const {
      customerId: _customer,
      partnerId: _partner,
      ...answer
    } = refusals[0] as Record<string, unknown>;
    for (const owners of [{}, { customerId: "c-7f3a", partnerId: "p-1" }]) {
      const payload = { ...answer, ...owners };
      expect(requestRefusedSchema.safeParse(payload).success).toBe(false);
      expect(validator.validate(route, payload).ok).toBe(false);
    }
    for (const owners of [{ customerId: "c-7f3a" }, { partnerId: "p-1" }]) {
      const payload = { ...answer, ...owners };
      expect(requestRefusedSchema.safeParse(payload).success).toBe(true);
      expect(validator.validate(route, payload)).toEqual({ ok: true });
    }
  });

  it.each(cases.filter(([topic]) => topic !== "marketplace.partner.updated"))(
    "when the contract of %s requires a field, then so does its route",
    (topic, schema) => {
      const contract = z.toJSONSchema(schema, { io: "input" }) as { required?: string[] };
      expect([...(routeOf(topic).spec.schema.required as string[])].sort()).toEqual(
        [...(contract.required ?? [])].sort(),
      );
    },
  );
});
