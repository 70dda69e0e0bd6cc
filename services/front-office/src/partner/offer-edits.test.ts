import { partnerOfferUpsertSchema } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import type { MarketOffer } from "../cabinet-data/market-offer-events.js";
import { testMarketOffer } from "../testing/test-market-offer.js";
import { testSession } from "../testing/test-session.js";
import { requestOfferEdit, requestOfferWithdraw, type OfferForm } from "./offer-edits.js";
import { partnerOfferFormPage, partnerOffersPage } from "./offer-pages.js";

// A marketplace partner writes its offers from the cabinet: what the form may send, what
// crosses the bus, and what the pages show (the browser test runs them on the real bus).

const offerId = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const form: OfferForm = {
  offerId,
  version: "",
  title: " Window cleaning ",
  description: "Both sides, up to 10 windows.",
  category: "home-cleaning",
  unit: "visit",
  amount: "1500.50",
  currency: "rub",
  responseHours: "24",
  completionHours: "72",
};
const current: MarketOffer = testMarketOffer({ offerId });
const edit = (changes: OfferForm, offer?: MarketOffer) =>
  requestOfferEdit({ partnerId: "cleanco", form: { ...form, ...changes }, current: offer });

describe("a partner writes its offers from the cabinet", () => {
  it("when a partner publishes a new offer, then offer.upsert carries its terms as the marketplace reads them, without a version, keyed by the form's offer id", () => {
    const request = edit({});
    if (!request.ok) throw new Error(request.message);
    expect(request.event.id).toBe(`marketplace.partner.updated:offer:${offerId}:0`);
    expect(request.event.data).toEqual({
      action: "offer.upsert",
      partnerId: "cleanco",
      offerId,
      offer: {
        title: "Window cleaning",
        description: "Both sides, up to 10 windows.",
        category: "home-cleaning",
        unit: "visit",
        price: { amount: 1500.5, currency: "RUB" },
        sla: { responseHours: 24, completionHours: 72 },
      },
    });
    expect(partnerOfferUpsertSchema.parse(request.event.data)).toEqual(request.event.data);
  });

  it("when a partner changes its offer, then the edit names the version it was made to; an edit of an older version is 409", () => {
    const request = edit({ version: "3", amount: "1600" }, current);
    if (!request.ok) throw new Error(request.message);
    expect(request.event.data).toMatchObject({ version: 3, offer: { price: { amount: 1600 } } });
    expect(request.event.id).toBe(`marketplace.partner.updated:offer:${offerId}:3`);
    expect(edit({ version: "2" }, current)).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("now version 3"),
    });
  });

  it("when the offer is another partner's, or an edit names an offer the cabinet never heard of, then it is 404", () => {
    expect(edit({ version: "3" }, { ...current, partnerId: "fastfix" })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(edit({ version: "3" })).toMatchObject({ ok: false, status: 404 });
  });

  it.each([
    [{ title: "  " }, "title", "Title:"],
    [{ category: "Home Cleaning" }, "category", "Category: expected a code of a-z, 0-9 and '-'."],
    [{ unit: "" }, "unit", "Unit:"],
    [{ amount: "abc" }, "amount", "Price per unit: expected a number."],
    [{ amount: "10.555" }, "amount", "Price per unit: at most 2 decimals."],
    [{ amount: "-5" }, "amount", "Price per unit: expected a number."],
    [{ currency: "rubles" }, "currency", "Currency: expected an ISO 4217 code such as RUB."],
    [{ responseHours: "0" }, "responseHours", "Answer a paid order within (hours):"],
    [{ completionHours: "" }, "completionHours", "Complete an accepted order within (hours):"],
    [{ description: "x".repeat(4001) }, "description", "Description:"],
  ] as const)("when the form has %j, then it is 400 naming %s", (changes, field, message) => {
    const request = edit(changes);
    expect(request).toMatchObject({ ok: false, status: 400, field });
    if (!request.ok) expect(request.message).toContain(message);
  });

  it("when the form's offer id is not one the cabinet chose, then it is 400 as expired", () => {
    for (const bad of [undefined, "", "__proto__", `${offerId}x`])
      expect(edit({ offerId: bad })).toMatchObject({ ok: false, status: 400 });
  });

  it("when a partner withdraws its offer, then offer.withdraw is keyed by the offer's version; a withdrawn or another's is refused", () => {
    const request = requestOfferWithdraw({ partnerId: "cleanco", offer: current });
    if (!request.ok) throw new Error(request.message);
    expect(request.event).toMatchObject({
      id: `marketplace.partner.updated:offer:${offerId}:3:withdraw`,
      data: { action: "offer.withdraw", partnerId: "cleanco", offerId },
    });
    expect(
      requestOfferWithdraw({ partnerId: "cleanco", offer: { ...current, status: "withdrawn" } }),
    ).toMatchObject({ ok: false, status: 409 });
    expect(requestOfferWithdraw({ partnerId: "fastfix", offer: current })).toMatchObject({
      ok: false,
      status: 404,
    });
  });
});

describe("the partner cabinet's offer pages", () => {
  const session = testSession({
    name: "Ivan",
    roles: ["marketplace-partner"],
    partnerId: "cleanco",
  });
  const at = new Date("2026-12-03T09:00:00Z");

  it("when a partner opens its offers, then each shows with price and status and there is a New offer link; a manager sees whose and cannot create", () => {
    const mine = partnerOffersPage(session, [current], { canEdit: true, asOf: at });
    expect(mine).toContain("1500.00 RUB per visit");
    expect(mine).toContain(`href="/offers/${offerId}"`);
    expect(mine).toContain('href="/offers/new"');
    expect(mine).not.toContain('<th scope="col">Partner</th>');
    const manager = partnerOffersPage(session, [current], { canEdit: false, asOf: at });
    expect(manager).not.toContain('href="/offers/new"');
    expect(manager).toContain("<td>cleanco</td>");
  });

  it("when an offer's form is opened, then it holds its terms and version and can withdraw it; refused, it keeps what was typed and marks the field", () => {
    const page = partnerOfferFormPage(session, { offerId, current, canEdit: true });
    expect(page).toMatch(/name="version"\s+value="3"/);
    expect(page).toContain('value="1500.00"');
    expect(page).toContain(`action="/offers/${offerId}/withdraw"`);
    const refused = partnerOfferFormPage(session, {
      offerId,
      canEdit: true,
      values: { title: "Windows <all>", amount: "abc" },
      error: { field: "amount", message: "Price per unit: expected a number." },
    });
    expect(refused).toContain('value="abc"');
    expect(refused).toMatch(/id="amount"[^>]*aria-invalid="true"/);
    expect(refused).not.toContain("<all>");
    expect(refused).toMatch(/name="version"\s+value=""/);
  });
});
