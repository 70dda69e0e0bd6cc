import { orderRequestedSchema } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import {
  marketOfferChangedSchema,
  marketOfferRecord,
  toMarketOffer,
  type MarketOffer,
} from "../cabinet-data/market-offer-events.js";
import { requestOrder, type OrderForm } from "./marketplace-order.js";
import { marketOrderPage, marketplacePage } from "./marketplace-pages.js";
import { testSession } from "../testing/test-session.js";

// Ordering from the marketplace in the user cabinet: what the form may send, what crosses the
// bus, and what the pages show (the browser test runs them against the real bus).

const now = new Date("2026-12-03T09:00:00Z");
const offer: MarketOffer = {
  offerId: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
  partnerId: "cleanco",
  title: "Flat cleaning <deep>",
  description: "Two cleaners, four hours.",
  category: "home",
  unit: "visit",
  price: { amount: 2500, currency: "RUB" },
  status: "active",
  version: 1,
};
const requestId = "0b8f6c1e-7f0a-4a57-9d55-2c6f1f7a3a10";
const orderOf = (form: OrderForm, which: MarketOffer | undefined) =>
  requestOrder({ form, offer: which, customerId: "p-1", now });
const order = (form: OrderForm) => orderOf(form, offer);
const good = { requestId, offerId: offer.offerId, quantity: "2", note: " 3rd floor " };

describe("ordering from the marketplace in the cabinet", () => {
  it("when a person orders two visits with a note, then marketplace.order.requested carries them as the marketplace reads them, keyed by the form's request id", () => {
    const request = order(good);
    expect(request.ok).toBe(true);
    if (!request.ok) return;
    expect(request.event).toEqual({
      id: `marketplace.order.requested:${requestId}`,
      topic: "marketplace.order.requested",
      data: {
        requestId,
        offerId: offer.offerId,
        customerId: "p-1",
        quantity: 2,
        note: "3rd floor",
        requestedAt: "2026-12-03T09:00:00.000Z",
      },
    });
    expect(orderRequestedSchema.parse(request.event.data)).toEqual(request.event.data);
    const noNote = order({ ...good, note: "  " });
    expect(noNote.ok && "note" in noNote.event.data).toBe(false);
  });

  it.each([
    ["0", "quantity"],
    ["-1", "quantity"],
    ["1.5", "quantity"],
    ["100001", "quantity"],
    ["2e3", "quantity"],
    ["", "quantity"],
    [undefined, "quantity"],
  ])("when the quantity is %j, then the form is refused 400 on %s", (quantity, field) => {
    expect(order({ ...good, quantity })).toMatchObject({
      ok: false,
      status: 400,
      field,
      message: "Enter how many (visit): a whole number from 1 to 100000.",
    });
  });

  it("when the note is longer than 1000 characters, then it is refused 400 saying how long it is", () => {
    expect(order({ ...good, note: "x".repeat(1001) })).toMatchObject({
      ok: false,
      status: 400,
      field: "note",
      message: "The note for the partner is 1001 characters; at most 1000.",
    });
  });

  it("when the form's request id is missing or not one the cabinet chose, then it is refused 400 as expired", () => {
    for (const bad of [undefined, "", "1", ["a"], `${requestId}x`])
      expect(order({ ...good, requestId: bad })).toMatchObject({ ok: false, status: 400 });
  });

  it("when the offer is unknown, names another offer, or is withdrawn, then it is 404 or 409", () => {
    expect(orderOf(good, undefined)).toMatchObject({ ok: false, status: 404 });
    expect(order({ ...good, offerId: "__proto__" })).toMatchObject({ ok: false, status: 404 });
    expect(
      orderOf(good, { ...offer, offerId: "7f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f" }),
    ).toMatchObject({ ok: false, status: 404 });
    expect(orderOf(good, { ...offer, status: "withdrawn" })).toMatchObject({
      ok: false,
      status: 409,
      message: "This offer is withdrawn and cannot be ordered now.",
    });
  });
});

describe("the marketplace's offers in the cabinet", () => {
  const event = marketOfferChangedSchema.parse({
    change: "updated",
    offer: {
      id: offer.offerId,
      partnerId: "cleanco",
      title: "Flat cleaning",
      description: "Two cleaners.",
      category: "home",
      unit: "visit",
      price: { amount: 2500, currency: "RUB" },
      sla: { responseHours: 24, completionHours: 72 },
      status: "active",
      version: 3,
      updatedAt: "2026-12-01T10:00:00Z",
    },
  });

  it("when an offer changes, then all it shows is state at its version, owned by its partner, and reads back as an offer", () => {
    const record = marketOfferRecord(event);
    expect(record).toMatchObject({
      kind: "market-offer",
      id: offer.offerId,
      owners: ["partner:cleanco"],
      version: 3,
      state: { title: "Flat cleaning", price: { amount: 2500, currency: "RUB" }, status: "active" },
    });
    expect(
      toMarketOffer({ id: record.id, facts: record.facts, state: record.state ?? {} }),
    ).toMatchObject({ offerId: offer.offerId, partnerId: "cleanco", unit: "visit" });
    expect(toMarketOffer({ id: record.id, facts: record.facts, state: {} })).toBeUndefined();
  });
});

describe("the cabinet's marketplace pages", () => {
  const session = testSession({ name: "Maria", roles: ["customer"] });

  it("when offers have arrived, then the active ones are listed with their price and the withdrawn one is not; names are escaped", () => {
    const html = marketplacePage(
      session,
      [offer, { ...offer, offerId: "x", title: "Old offer", status: "withdrawn" }],
      now,
    );
    expect(html).toContain("2500.00 RUB per visit");
    expect(html).toContain(`href="/marketplace/${offer.offerId}"`);
    expect(html).toContain("Flat cleaning &#60;deep&#62;");
    expect(html).not.toContain("<deep>");
    expect(html).not.toContain("Old offer");
    expect(html).toContain("as of 2026-12-03 09:00 UTC");
  });

  it("when nothing has arrived from the marketplace, then the page says so", () => {
    expect(marketplacePage(session, [], undefined)).toContain(
      "The marketplace has not sent its offers yet",
    );
  });

  it("when a refused form is shown again, then it keeps the request id and the values, and marks the field", () => {
    const html = marketOrderPage(
      session,
      offer,
      { requestId, quantity: "0", note: "3rd floor" },
      { field: "quantity", message: "Enter how many" },
    );
    expect(html).toContain(`name="requestId" value="${requestId}"`);
    expect(html).toContain('value="0"');
    expect(html).toContain("3rd floor</textarea");
    expect(html).toMatch(/id="quantity"[^>]*aria-invalid="true"/);
    expect(
      marketOrderPage(session, { ...offer, status: "suspended" }, { requestId }),
    ).not.toContain('action="/marketplace/orders"');
  });
});
