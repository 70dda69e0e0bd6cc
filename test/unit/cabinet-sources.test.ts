import { join } from "node:path";
import { compileJsonSchema, type RedactRule } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import { readManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import type { BusRouteSpec } from "../../operator/src/api/bus-route.types.js";
import { offerSuggested } from "../../services/analytics/src/events/published-topics.js";
import { redactPayload } from "../../services/bus-gateway/src/domain/redact-payload.js";
import { emptyProfile, withTouchpoints } from "../../services/crm/src/domain/profile-changes.js";
import { ssoLoginTouchpoint } from "../../services/crm/src/domain/sso-login.js";
import { customerCreated, customerMerged } from "../../services/crm/src/events/crm-topics.js";
import type { MergeRecord } from "../../services/crm/src/domain/profile.js";
import type { FileVersion } from "../../services/files/src/domain/file-version.js";
import type { Sandbox } from "../../services/files/src/domain/sandbox.js";
import { fileStored } from "../../services/files/src/events/files-topics.js";
import {
  accountsOf,
  customerEventSchema,
} from "../../services/front-office/src/cabinet-data/customer-events.js";
import {
  documentRecord,
  fileStoredSchema,
} from "../../services/front-office/src/cabinet-data/document-events.js";
import {
  offerRecord,
  offerSuggestedSchema,
} from "../../services/front-office/src/cabinet-data/offer-events.js";
import {
  orderPaidRecord,
  orderPaidSchema,
  orderRefundedRecord,
  orderRefundedSchema,
  orderCreatedRecord,
  orderCreatedSchema,
  orderStatusChangedSchema,
  orderStatusRecord,
} from "../../services/front-office/src/cabinet-data/order-events.js";
import { applyTransition } from "../../services/marketplace/src/domain/order-machine.js";
import {
  orderCreated,
  orderPaid,
  orderRefunded,
  orderStatusChanged,
} from "../../services/marketplace/src/events/order-events.js";
import { requestRefused } from "../../services/marketplace/src/events/refusal-events.js";
import { sampleOrder } from "../../services/marketplace/src/testing/sample-order.js";
import {
  customerRefusalRecord,
  partnerRefusalRecord,
  requestRefusedSchema,
} from "../../services/front-office/src/cabinet-data/refusal-events.js";

// The unified cabinet (F3) reads what CRM, the marketplace, files and analytics publish, as
// the samples' export routes let it out of the core (payloads built by the modules' own
// functions, redacted as the gateway redacts them).

const routes = readManifests(join(repoRoot, "samples"))
  .filter((o) => o.kind === "BusRoute")
  .map((o) => (o as unknown as { spec: BusRouteSpec }).spec);
/** What the cabinet receives: the payload checked by its export route and redacted. */
const leaveCore = (topic: string, data: unknown): unknown => {
  const route = routes.find((r) => r.topic === topic && r.direction === "export");
  if (!route) throw new Error(`no export route for ${topic}`);
  const compiled = compileJsonSchema(route.schema);
  if (!compiled.ok) throw new Error(compiled.error);
  const plain = JSON.parse(JSON.stringify(data));
  expect(compiled.check(plain)).toEqual({ ok: true });
  return redactPayload(plain, (route.redact ?? []) as RedactRule[]);
};

const at = "2026-03-01T10:00:00.000Z";
const subject = "5f0c8f8e-3c1e-4a57-9d55-0c6f1f7a3a11";

describe("which profile is the signed-in person's", () => {
  const login = ssoLoginTouchpoint(
    { sessionId: "s-1", subject, provider: "password", email: "maria@example.com", loggedInAt: at },
    "7",
  );
  const profile = withTouchpoints(emptyProfile("p-1", at), [login], at);

  it("when CRM publishes a profile a sign-in made, then the cabinet reads its account after the customers-out route", () => {
    const data = customerEventSchema.parse(
      leaveCore("customer.created", customerCreated(profile).data),
    );
    expect(data.profile.id).toBe("p-1");
    expect(accountsOf(subject)).toContain(data.profile.accounts[0]);
  });

  it("when CRM merges profiles, then the cabinet reads the survivor and the absorbed ids", () => {
    const merge = {
      id: "m-1",
      survivorId: "p-1",
      absorbedIds: ["p-2"],
      rule: "email",
      actor: { kind: "system" },
    } as MergeRecord;
    const data = customerEventSchema.parse(
      leaveCore("customer.merged", customerMerged(merge, profile).data),
    );
    expect([data.survivorId, data.absorbedIds]).toEqual(["p-1", ["p-2"]]);
  });
});

describe("orders from the marketplace", () => {
  const placed = sampleOrder();
  it("when the marketplace publishes a new order and its status changes, then the cabinet keeps the order with its newest status", () => {
    const created = orderCreatedRecord(
      orderCreatedSchema.parse(leaveCore("order.created", orderCreated(placed).data)),
    );
    expect(created).toMatchObject({
      kind: "order",
      id: placed.id,
      owners: [`customer:${placed.customerId}`, `partner:${placed.partnerId}`],
      facts: { title: placed.title, currency: placed.currency },
      state: { status: "awaiting_payment" },
      version: 1,
    });
    const paid = applyTransition(
      placed,
      "pay",
      { kind: "acquirer", id: "acq-1" },
      "2026-12-01T10:00:05.000Z",
    );
    const changed = orderStatusRecord(
      orderStatusChangedSchema.parse(
        leaveCore("order.status.changed", orderStatusChanged(paid).data),
      ),
    );
    expect(changed).toMatchObject({ id: placed.id, state: { status: "paid" } });
    expect(changed.version).toBeGreaterThan(created.version!);
  });
});

describe("the marketplace's answers to refused requests", () => {
  const placed = sampleOrder();
  it("when the marketplace refuses a customer's order request, then the user cabinet keeps the answer as that customer's and can tell it from the order placed later", () => {
    const answer = requestRefused({
      eventId: `marketplace.order.requested:${placed.requestId}`,
      topic: "marketplace.order.requested",
      code: "OfferUnavailable",
      reason: `event.offerId: offer ${placed.offerId} cannot be ordered: it is withdrawn`,
      at,
      data: {
        requestId: placed.requestId,
        offerId: placed.offerId,
        customerId: placed.customerId,
        quantity: placed.quantity,
        note: "entrance 2",
      },
    })!;
    const data = requestRefusedSchema.parse(leaveCore(answer.topic, answer.data));
    expect(customerRefusalRecord(data)).toMatchObject({
      kind: "refusal",
      owners: [`customer:${placed.customerId}`],
      facts: { request: "order.request", requestId: placed.requestId, quantity: placed.quantity },
    });
    expect(partnerRefusalRecord(data)).toBeUndefined();
    // An order placed for the request after all carries the request's id to the cabinet.
    const created = orderCreatedRecord(
      orderCreatedSchema.parse(leaveCore("order.created", orderCreated(placed).data)),
    );
    expect(created.facts.requestId).toBe(placed.requestId);
  });

  it("when the marketplace refuses a partner's move, then the partner cabinet keeps it as that partner's", () => {
    const answer = requestRefused({
      eventId: "marketplace.partner.updated:o-1:paid:start",
      topic: "marketplace.partner.updated",
      code: "InvalidTransition",
      reason: "start needs accepted",
      at,
      data: {
        action: "order.transition",
        partnerId: placed.partnerId,
        orderId: placed.id,
        transition: "start",
      },
    })!;
    const record = partnerRefusalRecord(
      requestRefusedSchema.parse(leaveCore(answer.topic, answer.data)),
    );
    expect(record).toMatchObject({
      owners: [`partner:${placed.partnerId}`],
      facts: { request: "order.transition", orderId: placed.id, transition: "start" },
    });
  });
});

describe("payments for the partner cabinet's finances", () => {
  it("when the marketplace publishes a payment and a refund, then the partner cabinet keeps the money of that order for its partner", () => {
    const placed = sampleOrder();
    const at = "2026-12-01T10:00:05.000Z";
    const paid = {
      ...applyTransition(placed, "pay", { kind: "acquirer", id: "acq-1" }, at),
      payment: {
        ...placed.payment,
        eventId: "payment.succeeded:x",
        acquirerRef: "acq-1",
        paidAt: at,
      },
    };
    const payment = orderPaidRecord(
      orderPaidSchema.parse(leaveCore("order.paid", orderPaid(paid).data)),
    );
    expect(payment).toMatchObject({
      owners: [`customer:${placed.customerId}`, `partner:${placed.partnerId}`],
      facts: { paidAmount: 1050, commission: 157.5, partnerPayout: 892.5, paidAt: at },
    });
    const refund = {
      refundId: "rf-1",
      eventId: "payment.refunded:rf-1",
      amountMinor: 35_000,
      commissionMinor: 5_250,
      at,
    };
    const refunded = { ...paid, refunds: [refund] };
    const record = orderRefundedRecord(
      orderRefundedSchema.parse(leaveCore("order.refunded", orderRefunded(refunded, refund).data)),
    );
    expect(record.facts).toMatchObject({ refundedTotal: 350, fullyRefunded: false });
  });
});

describe("documents from files", () => {
  const sandbox: Sandbox = {
    id: "customers",
    kind: "team",
    title: "Customers",
    links: [],
    grants: [{ principal: "team:managers", rights: ["read", "write", "share"] }],
    grantsVersion: 1,
    createdAt: at,
    createdBy: { kind: "internal", id: "olga" },
  };
  const version = (links: FileVersion["links"]): FileVersion => ({
    fileId: "f-1",
    sandbox: "customers",
    path: "p-1/contract.pdf",
    version: 2,
    state: "announced",
    objectKey: "objects/customers/f-1/2-x",
    contentType: "application/pdf",
    size: 5120,
    sha256: "a".repeat(64),
    author: { kind: "internal", id: "olga" },
    createdAt: at,
    links,
    text: "Contract",
    meta: {},
  });

  it("when files stores a version linked to a customer, then the cabinet keeps it as that person's document", () => {
    const event = fileStored(version([{ kind: "customer", id: "p-1" }]), sandbox);
    const record = documentRecord(fileStoredSchema.parse(leaveCore(event.topic, event.data)));
    expect(record).toMatchObject({
      kind: "document",
      id: "f-1",
      owners: ["customer:p-1"],
      state: { name: "contract.pdf", version: 2, size: 5120 },
      version: 2,
    });
  });

  it("when the file is linked to no customer, then it is no one's document in the cabinet", () => {
    const event = fileStored(version([{ kind: "process-instance", id: "i-1" }]), sandbox);
    expect(
      documentRecord(fileStoredSchema.parse(leaveCore(event.topic, event.data))),
    ).toBeUndefined();
  });
});

describe("offers from analytics", () => {
  it("when analytics suggests an offer, then the cabinet keeps it for that person", () => {
    const event = offerSuggested({
      suggestionId: "p-1:car-after-property",
      customerId: "p-1",
      rule: "car-after-property",
      offer: { category: "cars", title: "A car loan at a partner's rate" },
      reason: "interested in real estate, no car yet",
      suggestedAt: at,
    });
    expect(offerRecord(offerSuggestedSchema.parse(leaveCore(event.topic, event.data)))).toEqual({
      kind: "offer",
      id: "p-1:car-after-property",
      owners: ["customer:p-1"],
      facts: {
        title: "A car loan at a partner's rate",
        category: "cars",
        reason: "interested in real estate, no car yet",
        suggestedAt: at,
      },
    });
  });
});
