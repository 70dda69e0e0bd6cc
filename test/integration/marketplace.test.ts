import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose, { type Connection } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../../dev/harness/probe.js";
import { getJson, publishSurely } from "../../dev/stack/gateway-stack.js";
import { startMarketplaceStack, type MarketplaceStack } from "../../dev/stack/marketplace-stack.js";
import { call } from "../../dev/stack/service-stack.js";
import { earlierOrderIdFor, orderIdFor } from "../../services/marketplace/src/domain/order-id.js";
import { createOrderStore } from "../../services/marketplace/src/data/order-store.js";

// The marketplace end to end (MISSION C6, T3) on real components: the marketplace and the
// bus gateway with their daprd sidecars on Redis, FerretDB, the gateway configured with the
// marketplace's BusRoutes and acquiring partner from samples/, partner-sim playing the
// acquirer. Partners onboard and sell under the rules of the game through the partner API;
// a cabinet's order request crosses the gateway, is paid through the acquirer's signed
// callback, and a duplicated or replayed callback changes nothing.

const dir = mkdtempSync(join(tmpdir(), "symbiont-marketplace-"));
let stack: MarketplaceStack;
let db: Connection;

interface Offer {
  id: string;
  version: number;
  status: string;
}
interface Order {
  id: string;
  status: string;
  version: number;
  amount: number;
  commission: number;
  refunded: number;
  payment: { paymentId: string; paidAt?: string; acquirerRef?: string };
  history: Array<{ transition: string; actor: { kind: string } }>;
}
interface ApiError {
  error: { code: string; message: string; field?: string; details?: Record<string, unknown> };
}
interface Onboarded {
  partner: { id: string; status: string };
  key: { keyId: string; token: string };
}
interface LedgerEntry {
  messageId: string;
  topic: string;
  state: string;
  lastError?: string;
}

const admin = <T>(method: string, path: string, body?: unknown, token = stack.adminToken) =>
  call<T>(method, `${stack.marketplace.url}/v1/admin${path}`, body, {
    authorization: `Bearer ${token}`,
  });
const asPartner = <T>(key: string, method: string, path: string, body?: unknown) =>
  call<T>(method, `${stack.marketplace.url}/v1/partner${path}`, body, {
    authorization: `Bearer ${key}`,
  });
/** Publishes as the cabinet that publishes `topic` (the bus admits each only its own topics). */
const fromCabinet = (topic: string, data: unknown, id: string) =>
  publishSurely(
    topic === "marketplace.partner.updated" ? stack.partnerCabinet : stack.userCabinet,
    stack.corporatePubsub,
    topic,
    data,
    id,
  );
const sim = (path: string, body?: unknown) =>
  call<Record<string, unknown>>(
    "POST",
    `${stack.sim.adminUrl}/admin/partners/acquiring${path}`,
    body,
  );

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${stack.marketplace.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return Number(line?.split(" ").at(-1) ?? 0);
}

async function ledger(kind: string, target: string): Promise<LedgerEntry[]> {
  const query = `kind=${kind}&target=${encodeURIComponent(target)}`;
  return (await stack.gateway.admin.get<{ entries: LedgerEntry[] }>(`/v1/ledger/entries?${query}`))
    .entries;
}

interface Refusal {
  eventId: string;
  code: string;
  reason: string;
  rule?: string;
}

/** The marketplace's record of why it refused a bus event, once it is there. */
async function refusalOf(eventId: string): Promise<Refusal> {
  let found: Refusal | undefined;
  await waitUntil(
    `the refusal of ${eventId}`,
    async () => {
      const { body } = await admin<{ refused: Refusal[] }>("GET", "/refused-events");
      found = body.refused.find((r) => r.eventId === eventId);
      return found !== undefined;
    },
    { timeoutMs: 30_000 },
  );
  return found!;
}

/** Waits until the gateway's ledger holds `messageId` as a dead letter of `kind`. */
async function gatewayDeadLetter(kind: string, messageId: string): Promise<void> {
  await waitUntil(
    `the gateway's dead letter ${messageId}`,
    async () =>
      (
        await stack.gateway.admin.get<{ deadLetters: Array<{ messageId: string }> }>(
          `/v1/deadletters?kind=${kind}`,
        )
      ).deadLetters.some((d) => d.messageId === messageId),
    { timeoutMs: 30_000 },
  );
}

/** Waits until the gateway's ledger holds `messageId` delivered for `target`. */
async function crossed(kind: string, target: string, messageId: string): Promise<void> {
  await waitUntil(
    `${messageId} delivered by the gateway (${kind} ${target})`,
    async () =>
      (await ledger(kind, target)).some(
        (e) => e.messageId === messageId && e.state === "delivered",
      ),
    { timeoutMs: 30_000 },
  );
}

async function orderOnceIt(
  id: string,
  done: (order: Order) => boolean,
  what: string,
): Promise<Order> {
  let last: Order | undefined;
  await waitUntil(
    what,
    async () => {
      const answer = await admin<Order>("GET", `/orders/${id}`);
      last = answer.body;
      return answer.status === 200 && done(answer.body);
    },
    { timeoutMs: 60_000 },
  );
  return last!;
}

/** A payout period around now. */
function thisWeek(): string {
  const day = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `from=${iso(Date.now() - 3 * day)}&to=${iso(Date.now() + 4 * day)}`;
}

const cleaning = {
  title: "Cleaning of common areas",
  category: "building-services",
  unit: "flat-month",
  price: { amount: 450, currency: "RUB" },
  sla: { responseHours: 24, completionHours: 720 },
};
const delivery = {
  title: "Same-day delivery",
  category: "delivery",
  unit: "delivery",
  price: { amount: 350, currency: "RUB" },
  sla: { responseHours: 1, completionHours: 12 },
};

let manager: Onboarded;
let courier: Onboarded;
let cleaningOffer: Offer;

beforeAll(async () => {
  stack = await startMarketplaceStack({ dir });
  db = await mongoose.createConnection(stack.databaseUrl).asPromise();
});

afterAll(async () => {
  await db?.close();
  await stack?.stop();
  if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

describe("the marketplace's admin API", () => {
  it("when it is called without the admin token or with a wrong one, then it answers 401 and onboards nobody", async () => {
    const bare = await call<ApiError>("POST", `${stack.marketplace.url}/v1/admin/partners`, {
      id: "intruder",
      name: "Intruder",
      kind: "courier",
    });
    expect(bare.status).toBe(401);
    const wrong = await admin<ApiError>(
      "POST",
      "/partners",
      { id: "intruder", name: "Intruder", kind: "courier" },
      "not-the-token-but-long-enough",
    );
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: "Unauthorized" } } });
    expect(await db.collection("partners").countDocuments()).toBe(0);
  });

  it("when partners are onboarded, then each gets a key shown once and stored only as a hash; a kind the rulebook does not know is refused naming the rule", async () => {
    const first = await admin<Onboarded>("POST", "/partners", {
      id: "uk-zelenaya",
      name: "UK Zelenaya Roshcha",
      kind: "property-management",
      contactEmail: "office@zelenaya.example",
    });
    expect(first.status).toBe(201);
    manager = first.body;
    expect(manager.key.token).toMatch(/^mpk_[0-9a-f]{12}_/);
    courier = (
      await admin<Onboarded>("POST", "/partners", {
        id: "swift-couriers",
        name: "Swift Couriers",
        kind: "courier",
      })
    ).body;
    const stored = await db.collection("api_keys").findOne({ _id: manager.key.keyId as never });
    expect(stored).toMatchObject({ partnerId: "uk-zelenaya" });
    const secret = manager.key.token.slice(`mpk_${manager.key.keyId}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const keys = await admin<{ keys: object[] }>("GET", "/partners/uk-zelenaya/keys");
    expect(JSON.stringify(keys.body)).not.toContain(manager.key.token);

    const again = await admin<ApiError>("POST", "/partners", {
      id: "uk-zelenaya",
      name: "Twice",
      kind: "property-management",
    });
    expect(again.status).toBe(409);
    const bakery = await admin<ApiError>("POST", "/partners", {
      id: "bakery",
      name: "Bakery",
      kind: "bakery",
    });
    expect(bakery).toMatchObject({
      status: 422,
      body: {
        error: {
          code: "RuleViolated",
          field: "body.kind",
          details: { rule: "known-partner-kind" },
        },
      },
    });
  });
});

describe("the partner API", () => {
  it("when a partner offers a service in its own unit within the rules, then it is on sale; an offer that breaks a rule is refused naming it", async () => {
    const created = await asPartner<Offer>(manager.key.token, "POST", "/offers", cleaning);
    expect(created).toMatchObject({ status: 201, body: { status: "active", version: 1 } });
    cleaningOffer = created.body;
    for (const [terms, rule, field] of [
      [
        { ...cleaning, price: { amount: 20, currency: "RUB" } },
        "building-services-price",
        "body.price.amount",
      ],
      [{ ...cleaning, unit: "visit" }, "building-services-per-flat-month", "body.unit"],
      [delivery, "property-management-may-offer", "body.category"],
      [
        { ...cleaning, sla: { responseHours: 96, completionHours: 720 } },
        "building-services-sla",
        "body.sla.responseHours",
      ],
    ] as const) {
      const refused = await asPartner<ApiError>(manager.key.token, "POST", "/offers", terms);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: "RuleViolated", field, details: { rule } });
      expect(refused.body.error.message).toContain(`breaks rule ${rule}`);
    }
    const malformed = await asPartner<ApiError>(manager.key.token, "POST", "/offers", {
      ...cleaning,
      price: { amount: 1.234, currency: "RUB" },
    });
    expect(malformed).toMatchObject({
      status: 400,
      body: { error: { field: "body.price.amount" } },
    });
    expect(await db.collection("offers").countDocuments()).toBe(1);
  });

  it("when the key is missing, malformed or wrong, then 401; when a partner touches another's offer, then 403", async () => {
    const url = `${stack.marketplace.url}/v1/partner/offers`;
    expect((await call("GET", url)).status).toBe(401);
    expect((await call("GET", url, undefined, { authorization: "Bearer nope" })).status).toBe(401);
    const forged = manager.key.token.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await asPartner(forged, "GET", "/offers")).status).toBe(401);
    const foreign = await asPartner<ApiError>(
      courier.key.token,
      "PUT",
      `/offers/${cleaningOffer.id}`,
      {
        ...cleaning,
        version: 1,
      },
    );
    expect(foreign).toMatchObject({ status: 403, body: { error: { code: "Forbidden" } } });
    const mine = await asPartner<{ offers: Offer[] }>(courier.key.token, "GET", "/offers");
    expect(mine.body.offers).toEqual([]);
  });

  it("when a key is rotated, then the old one works for the overlap, a rotation without overlap ends it at once, and a revoked key is refused", async () => {
    const rotated = await asPartner<{
      key: { token: string; keyId: string };
      previous: Array<{ keyId: string; expiresAt: string }>;
    }>(manager.key.token, "POST", "/keys", { overlapSeconds: 3_600 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.previous).toEqual([expect.objectContaining({ keyId: manager.key.keyId })]);
    expect((await asPartner(manager.key.token, "GET", "/me")).status).toBe(200);
    expect((await asPartner(rotated.body.key.token, "GET", "/me")).status).toBe(200);

    const again = await admin<{ key: { token: string; keyId: string } }>(
      "POST",
      "/partners/uk-zelenaya/keys",
      {
        overlapSeconds: 0,
      },
    );
    const old = await asPartner<ApiError>(rotated.body.key.token, "GET", "/me");
    expect(old).toMatchObject({ status: 401, body: { error: { code: "Unauthorized" } } });
    expect(old.body.error.message).toContain("rotated out");
    expect((await asPartner(manager.key.token, "GET", "/me")).status).toBe(401);

    const revoked = await admin("DELETE", `/partners/uk-zelenaya/keys/${again.body.key.keyId}`);
    expect(revoked.status).toBe(200);
    expect(
      (await asPartner<ApiError>(again.body.key.token, "GET", "/me")).body.error.message,
    ).toContain("was revoked");
    manager = {
      ...manager,
      key: (await admin<{ key: Onboarded["key"] }>("POST", "/partners/uk-zelenaya/keys", {})).body
        .key,
    };
    expect((await asPartner(manager.key.token, "GET", "/me")).status).toBe(200);
  });

  it("when a key goes over its rate limit, then it gets 429 with Retry-After, and other partners' keys do not", async () => {
    // One token a hundred seconds after a burst of three: the fourth call is over.
    const slow = await admin<Onboarded>("POST", "/partners", {
      id: "slow-couriers",
      name: "Slow Couriers",
      kind: "courier",
      rateLimit: { perSecond: 0.01, burst: 3 },
    });
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(
        await fetch(`${stack.marketplace.url}/v1/partner/me`, {
          headers: { authorization: `Bearer ${slow.body.key.token}` },
        }),
      );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(Number(answers[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await answers[3]!.json()) as ApiError).error.code).toBe("RateLimited");
    expect((await asPartner(courier.key.token, "GET", "/me")).status).toBe(200);
  });
});

describe("an order paid through the acquiring partner (T3)", () => {
  const requestId = "cabinet-request-0001";
  const orderId = orderIdFor("c-7f3a", requestId);
  let paid: Order;

  it("when a cabinet requests an order over the corporate bus, then the acquirer is asked to charge it, calls back signed, and the order is paid", async () => {
    await fromCabinet(
      "marketplace.order.requested",
      {
        requestId,
        offerId: cleaningOffer.id,
        customerId: "c-7f3a",
        quantity: 120,
        note: "entrance 2",
      },
      `marketplace.order.requested:${requestId}`,
    );
    paid = await orderOnceIt(orderId, (o) => o.status === "paid", "the order paid");
    expect(paid).toMatchObject({ amount: 54_000, commission: 2_700, version: 2 });
    expect(paid.history.map((s) => `${s.transition}:${s.actor.kind}`)).toEqual([
      "place:customer",
      "pay:acquirer",
    ]);

    // The acquirer took one payment and the gateway accepted its signed callback (the
    // acquirer records the gateway's answer once it has it, which may be after the order is paid).
    let payments: Array<{ paymentId: string; callbacks: Array<{ status: number }> }> = [];
    await waitUntil(
      "the acquirer's record of its callback",
      async () => {
        ({ payments } = await getJson<{ payments: typeof payments }>(
          `${stack.sim.adminUrl}/admin/partners/acquiring/payments`,
        ));
        return payments[0]?.callbacks.length === 1;
      },
      { timeoutMs: 30_000 },
    );
    expect(payments).toEqual([
      expect.objectContaining({
        paymentId: paid.payment.paymentId,
        callbacks: [expect.objectContaining({ status: 202 })],
      }),
    ]);
    // Every event crossed the gateway through the samples' routes, their schemas passed.
    for (const [kind, target, id] of [
      ["import", "marketplace-order-requests-in", `marketplace.order.requested:${requestId}`],
      ["export", "marketplace-orders-created-out", `order.created:${orderId}`],
      ["export", "marketplace-payment-intents-out", `payment.requested:${paid.payment.paymentId}`],
      ["partner", "acquiring", `payment.requested:${paid.payment.paymentId}`],
      ["import", "marketplace-payments-in", `payment.succeeded:${paid.payment.paymentId}`],
      ["export", "marketplace-orders-paid-out", `order.paid:${orderId}`],
    ] as const)
      await crossed(kind, target, id);
    expect(await ledger("partner", "acquiring")).toHaveLength(1);
    const report = await admin<{ lines: object[] }>("GET", `/payouts?${thisWeek()}`);
    expect(report.body.lines).toEqual([
      {
        partnerId: "uk-zelenaya",
        currency: "RUB",
        payments: 1,
        refunds: 0,
        gross: 54_000,
        commission: 2_700,
        payout: 51_300,
      },
    ]);
  });

  it("when the acquirer's callback comes again, with its key or with a new one, then nothing changes and nothing is published again", async () => {
    const published = () =>
      metric("symbiont_events_published_total", 'topic="order.paid",result="ok"');
    expect(await published()).toBe(1);
    const same = await sim(`/payments/${paid.payment.paymentId}/callbacks/replay`, {
      fresh: false,
    });
    expect(same.body).toMatchObject({ status: 200, answer: { duplicate: true } });
    const fresh = await sim(`/payments/${paid.payment.paymentId}/callbacks/replay`, {
      fresh: true,
    });
    expect(fresh.body).toMatchObject({ status: 202, answer: { duplicate: false } });
    await waitUntil(
      "the replayed callback recognised by the marketplace",
      async () =>
        (await metric(
          "symbiont_marketplace_payment_callbacks_total",
          'topic="payment.succeeded",outcome="duplicate"',
        )) === 1,
      { timeoutMs: 30_000 },
    );
    const after = (await admin<Order>("GET", `/orders/${orderId}`)).body;
    expect(after).toEqual(paid);
    expect(await published()).toBe(1);
    expect(await db.collection("movements").countDocuments({ kind: "payment" })).toBe(1);
  });

  it("when the partner moves the order, then only the machine's transitions pass, and the acquirer's refunds end it as refunded", async () => {
    const move = (key: string, transition: string) =>
      asPartner<Order & ApiError>(key, "POST", `/orders/${orderId}/transitions`, { transition });
    expect((await move(manager.key.token, "complete")).body.error).toMatchObject({
      code: "IllegalTransition",
      message: `order ${orderId} is paid: complete is allowed from in_progress only`,
    });
    expect((await move(courier.key.token, "accept")).status).toBe(403);
    const notMine = await asPartner<ApiError>(
      manager.key.token,
      "POST",
      `/orders/${orderId}/transitions`,
      {
        transition: "pay",
      },
    );
    expect(notMine).toMatchObject({ status: 400, body: { error: { field: "body.transition" } } });
    for (const transition of ["accept", "start", "complete"])
      expect((await move(manager.key.token, transition)).body.status).toBeDefined();
    expect((await admin<Order>("GET", `/orders/${orderId}`)).body.status).toBe("completed");

    const partial = await sim(`/payments/${paid.payment.paymentId}/refunds`, {
      amount: 4_500,
      reason: "10 flats fewer",
    });
    expect(partial.body).toMatchObject({ status: 202 });
    const partly = await orderOnceIt(
      orderId,
      (o) => o.refunded === 4_500,
      "the partial refund applied",
    );
    expect(partly.status).toBe("completed");
    const rest = await sim(`/payments/${paid.payment.paymentId}/refunds`, {});
    expect(rest.body).toMatchObject({ status: 202 });
    const refunded = await orderOnceIt(
      orderId,
      (o) => o.status === "refunded",
      "the order refunded",
    );
    expect(refunded.refunded).toBe(54_000);

    // The same refund delivered again under another event id (a replayed webhook) changes nothing.
    const refundEvent = (await db.collection("orders").findOne({ _id: orderId as never }))!
      .refunds[0] as {
      refundId: string;
    };
    const replay = await call("POST", `${stack.marketplace.url}/events/payment.refunded`, {
      specversion: "1.0",
      id: `payment.refunded:${refundEvent.refundId}:replayed`,
      source: "test",
      data: {
        refundId: refundEvent.refundId,
        paymentId: paid.payment.paymentId,
        orderId,
        amount: 4_500,
        currency: "RUB",
        refundedAt: new Date().toISOString(),
      },
    });
    expect(replay).toEqual({ status: 200, body: { status: "SUCCESS" } });
    expect((await admin<Order>("GET", `/orders/${orderId}`)).body).toEqual(refunded);
    // The money is booked just after the order is written: wait for the second refund.
    let lines: Array<{ refunds?: number }> = [];
    await waitUntil(
      "both refunds booked",
      async () => {
        ({ lines } = (
          await admin<{ lines: typeof lines }>(
            "GET",
            `/payouts?${thisWeek()}&partnerId=uk-zelenaya`,
          )
        ).body);
        return lines[0]?.refunds === 2;
      },
      { timeoutMs: 30_000 },
    );
    expect(lines).toEqual([
      {
        partnerId: "uk-zelenaya",
        currency: "RUB",
        payments: 1,
        refunds: 2,
        gross: 0,
        commission: 0,
        payout: 0,
      },
    ]);
  });
});

describe("bad input over the bus", () => {
  it("when a cabinet's request breaks the route's schema, then the gateway dead-letters it with the reason and the marketplace never sees it", async () => {
    await fromCabinet(
      "marketplace.order.requested",
      { requestId: "no-offer", customerId: "c-1", quantity: 1 },
      "marketplace.order.requested:no-offer",
    );
    await gatewayDeadLetter("import", "marketplace.order.requested:no-offer");
    const [entry] = (await ledger("import", "marketplace-order-requests-in")).filter(
      (e) => e.messageId === "marketplace.order.requested:no-offer",
    );
    expect(entry).toMatchObject({
      state: "dead-lettered",
      lastError: expect.stringContaining("offerId"),
    });
    expect(await db.collection("orders").countDocuments({ requestId: "no-offer" })).toBe(0);
  });

  it("when a request names an offer that does not exist, then the marketplace refuses it with the reason and the gateway keeps it as a dead letter", async () => {
    const ghost = "00000000-0000-4000-8000-000000000000";
    await fromCabinet(
      "marketplace.order.requested",
      { requestId: "ghost-offer", offerId: ghost, customerId: "c-1", quantity: 1 },
      "marketplace.order.requested:ghost-offer",
    );
    expect(await refusalOf("marketplace.order.requested:ghost-offer")).toMatchObject({
      code: "UnknownOffer",
      reason: `event.offerId: offer ${ghost} does not exist`,
    });
    await gatewayDeadLetter("drop", "marketplace.order.requested:ghost-offer");
    expect(await db.collection("orders").countDocuments({ requestId: "ghost-offer" })).toBe(0);
    // The cabinet is answered: the refusal crosses out through the samples' route, its
    // schema checked by the gateway.
    await crossed(
      "export",
      "marketplace-request-refusals-out",
      "marketplace.request.refused:marketplace.order.requested:ghost-offer",
    );
  });

  it("when the partner cabinet sends an offer, then it is kept under the same rules, and one that breaks them is refused naming the rule", async () => {
    const offerId = "5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    await fromCabinet(
      "marketplace.partner.updated",
      {
        action: "offer.upsert",
        partnerId: "swift-couriers",
        offerId,
        offer: { ...delivery, price: { amount: 9_999, currency: "RUB" } },
      },
      "marketplace.partner.updated:too-dear",
    );
    await fromCabinet(
      "marketplace.partner.updated",
      {
        action: "offer.upsert",
        partnerId: "swift-couriers",
        offerId,
        // As a cabinet may send it: the offer as it last saw it, with fields beyond the terms.
        offer: {
          ...delivery,
          description: "",
          status: "active",
          updatedAt: new Date().toISOString(),
        },
      },
      "marketplace.partner.updated:fair",
    );
    let offer: { status: number; body: Offer } = { status: 0, body: {} as Offer };
    await waitUntil(
      "the offer from the cabinet",
      async () => (offer = await admin<Offer>("GET", `/offers/${offerId}`)).status === 200,
      { timeoutMs: 30_000 },
    );
    expect(offer.body).toMatchObject({ status: "active", version: 1 });
    // The two may arrive in either order: the dear one is refused before or after the fair one.
    expect(await refusalOf("marketplace.partner.updated:too-dear")).toMatchObject({
      code: "RuleViolated",
      rule: "delivery-price",
    });
    await crossed(
      "export",
      "marketplace-request-refusals-out",
      "marketplace.request.refused:marketplace.partner.updated:too-dear",
    );
  });

  it("when the same request is placed twice, then it is one order; with other terms under its id, it is refused", async () => {
    const request = {
      requestId: "placed-twice",
      offerId: cleaningOffer.id,
      customerId: "c-2",
      quantity: 2,
    };
    const first = await admin<Order>("POST", "/orders", request);
    const second = await admin<Order>("POST", "/orders", request);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
    const other = await admin<ApiError>("POST", "/orders", { ...request, quantity: 3 });
    expect(other).toMatchObject({ status: 409, body: { error: { code: "VersionConflict" } } });
    expect(await db.collection("orders").countDocuments({ requestId: "placed-twice" })).toBe(1);
  });

  it("when two customers choose the same request id, then each gets an order of their own; one placed under the earlier ids is found again for its customer only", async () => {
    const request = { requestId: "same-id", offerId: cleaningOffer.id, quantity: 1 };
    const mine = await admin<Order>("POST", "/orders", { ...request, customerId: "c-3" });
    const theirs = await admin<Order>("POST", "/orders", { ...request, customerId: "c-4" });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body).toMatchObject({ customerId: "c-4", requestId: "same-id" });
    expect(await db.collection("orders").countDocuments({ requestId: "same-id" })).toBe(2);

    // An order the marketplace stored before its ids took the customer in (the id from the
    // request id alone), written by its own store: the request delivered again finds it.
    const orders = createOrderStore(db);
    const earlier = earlierOrderIdFor("placed-earlier");
    const placed = (await orders.find(mine.body.id))!;
    expect(
      await orders.insert({
        ...placed,
        id: earlier,
        requestId: "placed-earlier",
        customerId: "c-5",
      }),
    ).toBe(true);
    const again = await admin<Order>("POST", "/orders", {
      ...request,
      requestId: "placed-earlier",
      customerId: "c-5",
    });
    expect(again).toMatchObject({ status: 200, body: { id: earlier, customerId: "c-5" } });
    // Another customer with that request id gets an order of their own, the earlier one stays.
    const other = await admin<Order>("POST", "/orders", {
      ...request,
      requestId: "placed-earlier",
      customerId: "c-6",
    });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(earlier);
    expect(await orders.find(earlier)).toMatchObject({ customerId: "c-5" });
  });

  it("when an order or a lookup names a partner or an offer that does not exist, then it is refused naming it", async () => {
    const ghost = "00000000-0000-4000-8000-000000000001";
    const order = await admin<ApiError>("POST", "/orders", {
      requestId: "ghost-http",
      offerId: ghost,
      customerId: "c-1",
      quantity: 1,
    });
    expect(order).toMatchObject({
      status: 400,
      body: { error: { code: "UnknownOffer", field: "body.offerId" } },
    });
    expect((await admin<ApiError>("GET", "/partners/nobody")).body.error.code).toBe(
      "UnknownPartner",
    );
    expect((await admin("GET", `/offers/${ghost}`)).status).toBe(404);
    await fromCabinet(
      "marketplace.partner.updated",
      { action: "offer.withdraw", partnerId: "nobody", offerId: ghost },
      "marketplace.partner.updated:nobody",
    );
    expect(await refusalOf("marketplace.partner.updated:nobody")).toMatchObject({
      code: "UnknownPartner",
    });
  });

  it("when the acquirer reports a payment for a cancelled order, or the wrong amount, then nothing changes and the refusal says why", async () => {
    const acquiring = (body: object) =>
      call("PUT", `${stack.sim.adminUrl}/admin/partners/acquiring/acquiring`, body);
    await acquiring({ capture: "manual" });
    try {
      const placed = await admin<Order>("POST", "/orders", {
        requestId: "cancelled-then-paid",
        offerId: cleaningOffer.id,
        customerId: "c-3",
        quantity: 1,
      });
      const cancelled = await admin<Order>("POST", `/orders/${placed.body.id}/transitions`, {
        transition: "cancel",
        actor: "customer",
      });
      expect(cancelled.body.status).toBe("cancelled");
      const paymentId = placed.body.payment.paymentId;
      await waitUntil(
        "the payment intent at the acquirer",
        async () =>
          (
            await getJson<{ payments: Array<{ paymentId: string }> }>(
              `${stack.sim.adminUrl}/admin/partners/acquiring/payments`,
            )
          ).payments.some((p) => p.paymentId === paymentId),
        { timeoutMs: 30_000 },
      );
      expect((await sim(`/payments/${paymentId}/capture`)).body).toMatchObject({ status: 202 });
      expect(await refusalOf(`payment.succeeded:${paymentId}`)).toMatchObject({
        code: "IllegalTransition",
        reason: `order ${placed.body.id} is cancelled: pay is allowed from awaiting_payment only`,
      });
      expect((await admin<Order>("GET", `/orders/${placed.body.id}`)).body).toEqual(cancelled.body);

      const other = await admin<Order>("POST", "/orders", {
        requestId: "paid-too-little",
        offerId: cleaningOffer.id,
        customerId: "c-4",
        quantity: 2,
      });
      const wrong = await call("POST", `${stack.marketplace.url}/events/payment.succeeded`, {
        specversion: "1.0",
        id: "payment.succeeded:too-little",
        source: "test",
        data: {
          paymentId: other.body.payment.paymentId,
          orderId: other.body.id,
          amount: 1,
          currency: "RUB",
          acquirerRef: "acq-x",
          paidAt: new Date().toISOString(),
        },
      });
      expect(wrong).toEqual({ status: 200, body: { status: "DROP" } });
      expect(await refusalOf("payment.succeeded:too-little")).toMatchObject({
        code: "PaymentMismatch",
        reason: `the payment is 1.00 RUB, order ${other.body.id} costs 900.00 RUB`,
      });
      expect((await admin<Order>("GET", `/orders/${other.body.id}`)).body.status).toBe(
        "awaiting_payment",
      );
    } finally {
      await acquiring({ capture: "auto" });
    }
  });

  it("when a partner is suspended, then its keys get 403 and its offers cannot be ordered", async () => {
    expect(
      (await admin("PUT", "/partners/uk-zelenaya/status", { status: "suspended" })).status,
    ).toBe(200);
    const refused = await asPartner<ApiError>(manager.key.token, "GET", "/me");
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "PartnerSuspended" } } });
    const order = await admin<ApiError>("POST", "/orders", {
      requestId: "after-suspension",
      offerId: cleaningOffer.id,
      customerId: "c-9",
      quantity: 1,
    });
    expect(order).toMatchObject({
      status: 409,
      body: { error: { code: "OfferUnavailable", field: "body.offerId" } },
    });
    expect((await admin("PUT", "/partners/uk-zelenaya/status", { status: "active" })).status).toBe(
      200,
    );
    expect((await asPartner(manager.key.token, "GET", "/me")).status).toBe(200);
  });
});
